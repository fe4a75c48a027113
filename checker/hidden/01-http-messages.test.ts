/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 01, messages over HTTP. Real HTTP on 127.0.0.1, every server on a port the
 * system picks (port 0). The server checks talk to your server with node:http directly; the client
 * checks point your client at small servers defined here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

type ServerModule = typeof import('@submission/01-http-messages/server');
type ClientModule = typeof import('@submission/01-http-messages/client');
let server: ServerModule;
let client: ClientModule;

beforeEach(async () => {
  server = await import('@submission/01-http-messages/server');
  client = await import('@submission/01-http-messages/client');
});

const MiB = 1024 * 1024;
const openServers: http.Server[] = [];

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
async function listen(s: http.Server): Promise<string> {
  openServers.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One raw HTTP exchange, on a connection of its own. An error after the answer arrived (a server
 * closing the connection early) is ignored.
 */
function exchange(base: string, method: string, path: string, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const req = http.request(`${base}${path}`, { method, headers, agent: false });
    let answered = false;
    req.on('error', (error) => {
      if (!answered) reject(new Error(`the connection failed before any answer came: ${error.message}`));
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

const post = (base: string, body: unknown) => exchange(base, 'POST', '/message', typeof body === 'string' ? body : JSON.stringify(body));

/** A JSON body of exactly `size` bytes with id "big". */
function bodyOfSize(size: number): string {
  const empty = JSON.stringify({ id: 'big', pad: '' });
  return JSON.stringify({ id: 'big', pad: 'x'.repeat(size - empty.length) });
}

describe('createMessageServer', () => {
  it('works without an onMessage handler', async () => {
    const base = await listen(server.createMessageServer());
    expect((await post(base, { id: 'solo' })).status).toBe(200);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const base = await listen(server.createMessageServer());
    const answer = await post(base, bodyOfSize(MiB));
    expect(answer.status).toBe(200);
  });

  it('answers 500 when onMessage throws, and keeps serving', async () => {
    const base = await listen(
      server.createMessageServer((message) => {
        if (message.id === 'bad') throw new Error('handler failed');
      }),
    );
    expect((await post(base, { id: 'bad' })).status).toBe(500);
    expect((await post(base, { id: 'good' })).status).toBe(200);
  });
});

/** A server for the client checks: `respond` decides what to do with each request. */
async function fakeServer(respond: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void) {
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

const replyProcessed = (_req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ status: 'processed', id: (JSON.parse(body) as { id: string }).id }));
};

describe('sendMessage', () => {
  it('does not time out a reply that comes in time', async () => {
    const { base } = await fakeServer((req, body, res) => setTimeout(() => replyProcessed(req, body, res), 15));
    await expect(client.sendMessage(`${base}/message`, { id: 'ok' }, { timeoutMs: 3000 })).resolves.toEqual({ status: 'processed', id: 'ok' });
  });

  it('rejects with the network error when nothing listens on the port', async () => {
    const { base, server: s } = await fakeServer(replyProcessed);
    openServers.splice(openServers.indexOf(s), 1);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const error: unknown = await client.sendMessage(`${base}/message`, { id: 'x' }, { timeoutMs: 3000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
  });
});
