/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/01-http-messages/checks.test.ts) of exercise 01, messages over HTTP. Real HTTP on 127.0.0.1, every server on a port the
 * system picks (port 0). The server checks talk to your server with node:http directly; the client
 * checks point your client at small servers defined here.
 */
import { describe, expect, it } from 'vitest';
import { server, client, MiB, openServers, listen, post, bodyOfSize, fakeServer, replyProcessed } from '../../exercises/01-http-messages/harness';
import { canaries } from '../../checker/shared/canary';

describe('createMessageServer', () => {
  it('[2] works without an onMessage handler', async () => {
    const base = await listen(server.createMessageServer());
    expect((await post(base, { id: 'solo' })).status).toBe(200);
  });

  it('[4] accepts a body of exactly 1 MiB', async () => {
    const base = await listen(server.createMessageServer());
    const answer = await post(base, bodyOfSize(MiB));
    expect(answer.status).toBe(200);
  });

  it('[5] answers 500 when onMessage throws, and keeps serving', async () => {
    const base = await listen(
      server.createMessageServer((message) => {
        if (message.id === 'bad') throw new Error('handler failed');
      }),
    );
    expect((await post(base, { id: 'bad' })).status).toBe(500);
    expect((await post(base, { id: 'good' })).status).toBe(200);
  });
});

describe('sendMessage', () => {
  it('[9] does not time out a reply that comes in time', async () => {
    const { base } = await fakeServer((req, body, res) => setTimeout(() => replyProcessed(req, body, res), 15));
    await expect(client.sendMessage(`${base}/message`, { id: 'ok' }, { timeoutMs: 3000 })).resolves.toEqual({ status: 'processed', id: 'ok' });
  });

  it('[10] rejects with the network error when nothing listens on the port', async () => {
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

canaries();
