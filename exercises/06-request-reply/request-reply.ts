/**
 * Exercise 06: request-reply over an asynchronous channel, matched by correlation id.
 * Read README.md first. Run `npm run grade -- 06` to check your work.
 * @module
 */
import type { Endpoint } from '../../toolkit/netsim';

/** What the client sends to the server. */
export interface RequestEnvelope {
  type: 'request';
  /** Unique per request of this client; the server copies it into its reply. */
  correlationId: string;
  body: unknown;
}

/** What the server sends back. */
export interface ReplyEnvelope {
  type: 'reply';
  correlationId: string;
  body: unknown;
}

/** Options of a {@link RequestReplyClient}. */
export interface RequestReplyOptions {
  /** How long a request waits for its reply, in ms of virtual time. Default 1000. */
  timeoutMs?: number;
}

/** No reply came within the timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly correlationId: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply to request ${correlationId} within ${timeoutMs} ms`);
  }
}

/**
 * Sends requests to one server node and matches each reply to its request by correlation id,
 * whatever order replies arrive in. Takes over the endpoint's message handler.
 */
export class RequestReplyClient {
  constructor(endpoint: Endpoint, server: string, options: RequestReplyOptions = {}) {
    throw new Error('TODO: RequestReplyClient constructor (exercise 06)');
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    throw new Error('TODO: RequestReplyClient.pending (exercise 06)');
  }

  /**
   * Sends `body` to the server in a {@link RequestEnvelope}.
   * @returns the body of the matching reply.
   * @throws RequestTimeoutError (as a rejection) when no reply came within the timeout.
   */
  request(body: unknown, options: RequestReplyOptions = {}): Promise<unknown> {
    throw new Error('TODO: RequestReplyClient.request (exercise 06)');
  }
}
