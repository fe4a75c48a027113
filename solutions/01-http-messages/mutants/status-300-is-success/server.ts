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

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorText(err: unknown): string {
  if (err instanceof Error && err.message) return `onMessage failed: ${err.message}`;
  return 'onMessage failed';
}

export function createMessageServer(onMessage?: MessageHandler): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/message') {
      req.resume();
      send(res, 404, { error: `no such path: ${path}` });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(res, 405, { error: `method ${req.method} not allowed, use POST` }, { Allow: 'POST' });
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
        send(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      send(res, 400, { error: 'request broke' });
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
        send(res, 400, { error: 'body is not valid JSON' });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        send(res, 400, { error: 'body is not a JSON object' });
        return;
      }
      const id = (value as { id?: unknown }).id;
      if (typeof id !== 'string' || id === '') {
        send(res, 400, { error: 'message needs a non-empty string id' });
        return;
      }
      try {
        if (onMessage) await onMessage(value as Message);
      } catch (err) {
        send(res, 500, { error: errorText(err) });
        return;
      }
      send(res, 200, { status: 'processed', id });
    }
  });
}
