/**
 * Exercise 01, the server side: a message endpoint over HTTP.
 * Read README.md first. Run `npm run grade -- 01` to check your work.
 * @module
 */
import http from 'node:http';

/** A message as the server accepts it: a JSON object with a non-empty string `id`. */
export interface Message {
  id: string;
  [field: string]: unknown;
}

/** Called once for every valid message, before the server answers. */
export type MessageHandler = (message: Message) => void | Promise<void>;

/** The largest body the server reads, in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Creates (but does not start) an HTTP server that accepts messages on `POST /message`.
 *
 * - 200 `{"status":"processed","id":…}` after `onMessage` has handled the message;
 * - 400 when the body is not JSON, not an object, or has no non-empty string `id`;
 * - 404 for any other path, 405 with `Allow: POST` for any other method on `/message`;
 * - 413 when the body is larger than {@link MAX_BODY_BYTES};
 * - 500 when `onMessage` throws.
 *
 * Every answer is JSON (`Content-Type: application/json`); an error answer is
 * `{"error": "<what went wrong>"}`. Call `server.listen(port)` to start it.
 */
export function createMessageServer(onMessage?: MessageHandler): http.Server {
  throw new Error('TODO: createMessageServer (exercise 01)');
}
