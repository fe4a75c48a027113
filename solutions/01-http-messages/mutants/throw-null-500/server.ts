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
function answer(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id !== '';
}

export function createMessageServer(onMessage?: MessageHandler): http.Server {
  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path !== '/message') {
      req.resume();
      answer(res, 404, { error: `no such path: ${path}` });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      answer(res, 405, { error: `method ${req.method} not allowed, use POST` }, { Allow: 'POST' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      if (tooBig) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
        chunks.length = 0;
        answer(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!res.headersSent) answer(res, 400, { error: 'request broke off' });
    });
    req.on('end', () => {
      if (tooBig) return;
      void handle(Buffer.concat(chunks).toString('utf8'));
    });
    async function handle(text: string): Promise<void> {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        answer(res, 400, { error: 'body is not valid JSON' });
        return;
      }
      if (!isMessage(value)) {
        answer(res, 400, { error: 'body must be a JSON object with a non-empty string id' });
        return;
      }
      try {
        await onMessage?.(value);
      } catch (err) {
        const msg = (err as Error).message || (err as Error).name || 'unknown error';
        answer(res, 500, { error: msg && msg !== 'Error' ? `onMessage failed: ${msg}` : 'onMessage failed' });
        return;
      }
      answer(res, 200, { status: 'processed', id: value.id });
    }
  });
}
