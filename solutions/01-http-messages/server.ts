/**
 * Exercise 01, the server side: a message endpoint over HTTP.
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

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses a body into a message, or returns why it is not one. */
function parseMessage(body: string): Message | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'body is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body must be a JSON object';
  const { id } = value as { id?: unknown };
  if (typeof id !== 'string' || id === '') return 'field "id" must be a non-empty string';
  return value as Message;
}

/** The error text of a 500: never empty, also when the thrown error has no text (new Error(), throw ''). */
function failureText(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return detail === '' ? 'onMessage failed' : `onMessage failed: ${detail}`;
}

async function handleMessage(req: http.IncomingMessage, res: http.ServerResponse, onMessage?: MessageHandler): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      // Answer at once, but keep reading (and dropping) the rest so that the client, still
      // busy uploading, can read the answer instead of seeing its connection reset.
      sendJson(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
      req.resume();
      return;
    }
    chunks.push(chunk);
  }
  const message = parseMessage(Buffer.concat(chunks).toString('utf8'));
  if (typeof message === 'string') return sendJson(res, 400, { error: message });
  try {
    await onMessage?.(message);
  } catch (error) {
    return sendJson(res, 500, { error: failureText(error) });
  }
  sendJson(res, 200, { status: 'processed', id: message.id });
}

/**
 * Creates (but does not start) an HTTP server that accepts messages on `POST /message`.
 *
 * - 200 `{"status":"processed","id":…}` after `onMessage` has handled the message;
 * - 400 when the body is not JSON, not an object, or has no non-empty string `id`;
 * - 404 for any other path, 405 with `Allow: POST` for any other method on `/message`;
 * - 413 when the body is larger than {@link MAX_BODY_BYTES};
 * - 500 when `onMessage` throws.
 *
 * Call `server.listen(port)` to start it.
 */
export function createMessageServer(onMessage?: MessageHandler): http.Server {
  return http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== '/message' || req.method !== 'POST') {
      req.resume(); // read and drop any body, so the connection can serve the next request
      if (pathname !== '/message') return sendJson(res, 404, { error: `no route for ${pathname}` });
      return sendJson(res, 405, { error: `method ${req.method} not allowed` }, { Allow: 'POST' });
    }
    // It fails only when the request broke off (the client went away mid-upload): nobody is left to answer.
    handleMessage(req, res, onMessage).catch(() => {});
  });
}
