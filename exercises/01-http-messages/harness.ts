/**
 * What the public and hidden checks of exercise 01 share; see checks.test.ts beside it.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
type ServerModule = typeof import('@submission/01-http-messages/server');

export type ClientModule = typeof import('@submission/01-http-messages/client');
export let server: ServerModule;
export let client: ClientModule;

beforeEach(async () => {
  server = await import('@submission/01-http-messages/server');
  client = await import('@submission/01-http-messages/client');
});

export const MiB = 1024 * 1024;
export const openServers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(
    openServers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections?.();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Starts `s` on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(s: http.Server): Promise<string> {
  openServers.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** How the grader words an error nothing caught (as checker/grade/run-setup.ts does). */
const UNCAUGHT = 'your code threw an error that nothing caught: ';

/** How long a check waits for your server's whole answer: locally it takes milliseconds. */
const ANSWER_WITHIN_MS = 2000;

/**
 * One raw HTTP exchange, on a connection of its own. An error after the answer arrived (a server
 * closing the connection early) is ignored. No whole answer within 2 s fails, naming the likely
 * mistake, rather than letting the check run into its time limit. With `chunked`, the body goes
 * out in two chunks (`Transfer-Encoding: chunked`), without a `Content-Length` header.
 */
export function exchange(base: string, method: string, path: string, body?: string | Buffer, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (chunked) headers['Transfer-Encoding'] = 'chunked';
    const req = http.request(`${base}${path}`, { method, headers, agent: false });
    let answered = false;
    // A handler that throws where nothing catches it (inside req.on('end', ...)) fails this exchange at once, with that error.
    const crashed = (error: unknown) => {
      const original = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
      const thrown = new Error(`${UNCAUGHT}${original.name}: ${original.message}`);
      thrown.stack = [`Error: ${thrown.message}`, ...(original.stack ?? '').split('\n').slice(1)].join('\n');
      settle(() => reject(thrown));
    };
    process.once('uncaughtException', crashed);
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`your server gave no whole answer to ${method} ${path} within ${ANSWER_WITHIN_MS / 1000} s: does every path of the handler end the response (res.end()), and does every promise it waits for settle?`));
    }, ANSWER_WITHIN_MS);
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      process.off('uncaughtException', crashed);
      finish();
    };
    req.on('error', (error) => {
      if (!answered) settle(() => reject(new Error(`the connection failed before any answer came: ${error.message}`)));
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      const done = () => settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', done);
      res.on('error', done);
    });
    if (chunked && body !== undefined) {
      const bytes = Buffer.from(body);
      req.write(bytes.subarray(0, 10));
      req.end(bytes.subarray(10));
    } else req.end(body);
  });
}

export const post = (base: string, body: unknown) => exchange(base, 'POST', '/message', typeof body === 'string' ? body : JSON.stringify(body));

/** A JSON body of exactly `size` bytes with id "big". */
export function bodyOfSize(size: number): string {
  const empty = JSON.stringify({ id: 'big', pad: '' });
  return JSON.stringify({ id: 'big', pad: 'x'.repeat(size - empty.length) });
}

/** A server for the client checks: `respond` decides what to do with each request. */
export async function fakeServer(respond: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void) {
  const requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(req, body, res);
    });
  });
  const base = await listen(s);
  return { base, requests, server: s };
}

/**
 * What `promise` settled with (its value, or the error it rejected with) if it settled within
 * `ms`, else a sentence saying it is still waiting.
 */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise((resolve) => (timer = setTimeout(() => resolve(`still waiting ${ms} ms later`), ms)));
  const outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  return Promise.race([outcome, guard]).finally(() => clearTimeout(timer));
}

export const replyProcessed = (_req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: 'processed', id: (JSON.parse(body) as { id: string }).id }));
};

/**
 * A raw TCP server for the client checks: it answers every request with `statusLine` (e.g.
 * `099 Odd`, which no http.Server would send) and `body`, then closes the connection.
 */
export async function rawServer(statusLine: string, body: string): Promise<string> {
  const s = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.end(`HTTP/1.1 ${statusLine}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  rawServers.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}
const rawServers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(rawServers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});
