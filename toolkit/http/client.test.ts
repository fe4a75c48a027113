import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, networkErrorCode, postJson } from './client';
import { closeServer } from './server';

let server: http.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('httpRequest and postJson', () => {
  it('sends JSON and parses a JSON reply, with lower-case header names', async () => {
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        response.writeHead(201, { 'Content-Type': 'application/json', 'X-Seen-Type': String(request.headers['content-type']) });
        response.end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
      });
    });
    const reply = await postJson(url, { id: '1' });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ echo: { id: '1' } });
    expect(reply.headers['x-seen-type']).toBe('application/json');
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('sends a string body as is and returns a non-JSON reply as text', async () => {
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => response.end(`got ${body}`));
    });
    const reply = await httpRequest(url, '{not json');
    expect(reply.body).toBe('got {not json');
  });

  it('resolves on an error status instead of rejecting', async () => {
    const url = await listen((_request, response) => {
      response.writeHead(503, { 'Content-Type': 'application/json' });
      response.end('{"error":"busy"}');
    });
    const reply = await postJson(url, { id: '1' });
    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({ error: 'busy' });
  });

  it('rejects with a TimeoutError when the server is slower than timeoutMs', async () => {
    const url = await listen((_request, response) => {
      setTimeout(() => response.end('late'), 500);
    });
    const error = await postJson(url, { id: '1' }, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('rejects with ECONNREFUSED when nothing listens on the port', async () => {
    const url = await listen(() => {});
    await closeServer(server as http.Server);
    const error = await postJson(url, { id: '1' }).catch((e: unknown) => e);
    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
  });

  it('finds no network error code in an ordinary error', () => {
    expect(networkErrorCode(new Error('plain'))).toBeUndefined();
    expect(networkErrorCode(null)).toBeUndefined();
  });
});
