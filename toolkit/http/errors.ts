/**
 * The answers the message server gives to bad requests. The Python companion
 * (`lessons/python/message_server.py`) gives the same statuses and the same `error` codes, and a
 * test holds both to that.
 */

/** Machine-readable reason in the JSON body of every error reply: `{ error, message }`. */
export type ErrorCode =
  | 'malformed-json'
  | 'invalid-message'
  | 'body-too-large'
  | 'method-not-allowed'
  | 'not-found'
  | 'handler-failed';

/** The HTTP status that goes with each {@link ErrorCode}. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  'malformed-json': 400,
  'invalid-message': 400,
  'body-too-large': 413,
  'method-not-allowed': 405,
  'not-found': 404,
  'handler-failed': 500,
};

/** The JSON body of an error reply. */
export interface ErrorBody {
  error: ErrorCode;
  /** A sentence for the human reading the log. */
  message: string;
}

/** A request the server refuses: carries what to answer. */
export class Rejection extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers, e.g. `Allow` for a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'Rejection';
    this.status = STATUS_OF[code];
  }

  /** The reply body. */
  toJSON(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}
