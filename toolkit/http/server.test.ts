import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, postJson } from './client';
import { startMessageServer, type MessageServer } from './server';

let server: MessageServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** POSTs `chunks` with chunked transfer encoding: no Content-Length announces the size. */
function sendChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST' }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

describe('startMessageServer', () => {
  it('answers a valid message with {status: "processed", id} after running the handler', async () => {
    const seen: unknown[] = [];
    server = await startMessageServer({ onMessage: (m) => void seen.push(m) });
    const reply = await postJson(server.messageUrl, { id: 'm-1', content: 'hello' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'processed', id: 'm-1' });
    expect(seen).toEqual([{ id: 'm-1', content: 'hello' }]);
    expect(server.accepted).toBe(1);
  });

  it('adds what the handler returns to the reply, without letting it change status or id', async () => {
    server = await startMessageServer({ onMessage: async () => ({ total: 3, status: 'hacked', id: 'other' }) });
    const reply = await postJson(server.messageUrl, { id: 'm-2' });
    expect(reply.body).toEqual({ total: 3, status: 'processed', id: 'm-2' });
  });

  it('echoes the X-Correlation-Id header, or makes one up', async () => {
    const ids: string[] = [];
    server = await startMessageServer({ onMessage: (_m, context) => void ids.push(context.correlationId) });
    const given = await postJson(server.messageUrl, { id: '1' }, { headers: { 'X-Correlation-Id': 'order-42' } });
    const madeUp = await postJson(server.messageUrl, { id: '2' });
    expect(given.headers['x-correlation-id']).toBe('order-42');
    expect(madeUp.headers['x-correlation-id']).toBe('server-1');
    expect(ids).toEqual(['order-42', 'server-1']);
  });

  it.each([
    ['malformed JSON', 400, 'malformed-json', '{"id": '],
    ['a JSON array', 400, 'invalid-message', '[1, 2]'],
    ['JSON null', 400, 'invalid-message', 'null'],
    ['no id', 400, 'invalid-message', '{"content": "x"}'],
    ['a number id', 400, 'invalid-message', '{"id": 7}'],
    ['an empty id', 400, 'invalid-message', '{"id": ""}'],
  ])('refuses %s with %i %s and keeps serving', async (_name, status, code, body) => {
    server = await startMessageServer();
    const reply = await httpRequest(server.messageUrl, body);
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ error: code, message: expect.any(String) as string });
    expect((await postJson(server.messageUrl, { id: 'next' })).status).toBe(200);
    expect(server.refused).toBe(1);
  });

  it('refuses a body over the limit with 413, whether its length is declared or streamed', async () => {
    server = await startMessageServer({ maxBodyBytes: 1000 });
    const declared = await postJson(server.messageUrl, { id: 'big', pad: 'x'.repeat(200_000) });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: 'body-too-large' });
    const streamed = await sendChunked(server.messageUrl, Array<string>(10).fill('y'.repeat(500)));
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'body-too-large' });
    expect((await postJson(server.messageUrl, { id: 'small' })).status).toBe(200);
  });

  it('answers another method with 405 and an Allow header, another path with 404', async () => {
    server = await startMessageServer();
    const get = await httpRequest(server.messageUrl, undefined, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.body).toMatchObject({ error: 'method-not-allowed' });
    const elsewhere = await postJson(`${server.baseUrl}/messages`, { id: '1' });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ error: 'not-found' });
  });

  it('answers 500 when the handler throws, and keeps serving', async () => {
    let calls = 0;
    server = await startMessageServer({
      onMessage: () => {
        if (++calls === 1) throw new Error('disk full');
      },
    });
    const failed = await postJson(server.messageUrl, { id: '1' });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: 'handler-failed', message: 'the handler failed: disk full' });
    expect((await postJson(server.messageUrl, { id: '2' })).status).toBe(200);
  });

  it('serves a custom path, and closing it (even twice) stops it listening', async () => {
    server = await startMessageServer({ path: '/inbox' });
    expect(server.messageUrl).toBe(`http://127.0.0.1:${server.port}/inbox`);
    expect((await postJson(server.messageUrl, { id: '1' })).status).toBe(200);
    await server.close();
    expect(server.server.listening).toBe(false);
    await server.close(); // closing twice is harmless
  });
});
