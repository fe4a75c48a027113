import { Rejection } from './errors';

/** What the server accepts: a JSON object whose `id` is a non-empty string, with any other fields. */
export interface InboundMessage {
  id: string;
  [field: string]: unknown;
}

/** The reply to an accepted message. */
export interface ProcessedReply {
  status: 'processed';
  id: string;
  [field: string]: unknown;
}

/**
 * Parses a request body into a message.
 * @throws Rejection `malformed-json` when the body is not JSON, `invalid-message` when it is JSON
 *   but not an object with a non-empty string `id`.
 */
export function parseMessage(body: string): InboundMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Rejection('malformed-json', 'the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Rejection('invalid-message', 'the body must be a JSON object');
  }
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    throw new Rejection('invalid-message', 'the message needs an "id" that is a non-empty string');
  }
  return value as InboundMessage;
}
