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
  return http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (res.headersSent || res.writableEnded) return;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(text)),
        ...headers,
      });
      res.end(text);
    };
    req.on('error', () => {
      /* the client went away; nothing to answer */
    });

    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/message') {
      req.resume();
      send(404, { error: `no such path: ${path}` });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(405, { error: `method ${req.method} not allowed on /message` }, { Allow: 'POST' });
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
        send(413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
        return;
      }
      chunks.push(chunk);
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
        send(400, { error: 'body is not valid JSON' });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        send(400, { error: 'body is not a JSON object' });
        return;
      }
      const id = (value as Record<string, unknown>).id;
      if (typeof id !== 'string' || id === '') {
        send(400, { error: 'message has no non-empty string id' });
        return;
      }
      try {
        await onMessage?.(value as Message);
      } catch (err) {
        const text = err instanceof Error && err.message ? err.message : 'onMessage failed';
        send(500, { error: text });
        return;
      }
      send(200, { status: 'processed', id });
    }
  });
}
