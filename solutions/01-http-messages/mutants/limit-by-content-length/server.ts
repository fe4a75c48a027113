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
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function createMessageServer(onMessage?: MessageHandler): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/message') {
      send(res, 404, { error: `no such path: ${path}` });
      req.resume();
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { error: `method ${req.method} not allowed` }, { Allow: 'POST' });
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooBig = declared > MAX_BODY_BYTES;
    if (tooBig) {
      send(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
    });

    req.on('error', () => {
      send(res, 400, { error: 'request broke' });
    });
    req.on('end', () => {
      if (tooBig) return;
      void handle(Buffer.concat(chunks).toString('utf8'), res, onMessage);
    });
  });
}

async function handle(text: string, res: http.ServerResponse, onMessage?: MessageHandler): Promise<void> {
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
    await onMessage?.(value as Message);
  } catch (err) {
    send(res, 500, { error: `handler failed: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  send(res, 200, { status: 'processed', id });
}
