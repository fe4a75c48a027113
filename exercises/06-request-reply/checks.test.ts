/**
 * Checks of exercise 06, request-reply with correlation ids, on netsim in virtual time. Your
 * RequestReplyClient runs on node "client"; the server on node "server" is written here: it
 * answers each RequestEnvelope with a ReplyEnvelope, after a delay the check chooses.
 */
import { describe, expect, it } from 'vitest';
import { settlement, uniform } from '../../toolkit/netsim';
import { LIMIT, rr, timeoutProperty, world } from './harness';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => 200 + i);

describe('RequestReplyClient', () => {
  it('[1] sends {type: "request", correlationId, body} to the server', async () => {
    const { net, client, requests } = world();
    void client.request({ question: 'time?' });
    await net.runUntilIdleAsync(LIMIT);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ type: 'request', body: { question: 'time?' } });
    expect(typeof requests[0].correlationId).toBe('string');
  });

  it('[1] resolves with the body of the reply', async () => {
    const { net, client } = world({ server: { answer: (body) => (body as number) * 2 } });
    const reply = settlement(client.request(21), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(reply.value).toBe(42);
  });

  it('[2] gives every request its own correlationId', async () => {
    const { net, client, requests } = world();
    for (let i = 0; i < 100; i++) void client.request(i);
    await net.runUntilIdleAsync(LIMIT);
    expect(new Set(requests.map((r) => r.correlationId)).size).toBe(100);
  });

  it('[3] keeps many requests in flight: all are sent before the first reply comes', async () => {
    const { net, client, requests } = world({ server: { delay: () => 500 } });
    for (let i = 0; i < 50; i++) void client.request(i);
    await net.advanceAsync(100);
    expect(requests).toHaveLength(50);
  });

  it('[4] matches replies that come back in reverse order to the right callers', async () => {
    const { net, client } = world({ server: { answer: (n) => `answer to ${String(n)}`, delay: (n) => 100 - 10 * (n as number) } });
    const replies = Array.from({ length: 10 }, (_, n) => settlement(client.request(n), net));
    await net.runUntilIdleAsync(LIMIT);
    expect(replies.map((r) => r.value)).toEqual(Array.from({ length: 10 }, (_, n) => `answer to ${String(n)}`));
  });

  it('[5] rejects with a RequestTimeoutError after timeoutMs without a reply', async () => {
    const { net, client } = world({ timeoutMs: 300, server: { delay: () => null } });
    const reply = settlement(client.request('anyone?'), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(reply.error).toBeInstanceOf(rr.RequestTimeoutError);
    expect(reply.at).toBe(300);
  });

  it('[5] reports in the RequestTimeoutError the request’s correlationId and the timeoutMs that applied to it', async () => {
    const { net, client, requests } = world({ timeoutMs: 300, server: { delay: () => null } });
    const own = settlement(client.request('own', { timeoutMs: 50 }), net);
    const byClient = settlement(client.request('client’s'), net);
    await net.runUntilIdleAsync(LIMIT);
    const [ownError, clientError] = [own.error, byClient.error] as ({ correlationId?: unknown; timeoutMs?: unknown } | undefined)[];
    expect(own.error, 'how the request with timeoutMs: 50 ended').toBeInstanceOf(rr.RequestTimeoutError);
    expect(
      ownError?.timeoutMs,
      'the RequestTimeoutError of a request given timeoutMs: 50, on a client whose timeoutMs is 300, reports the wrong timeoutMs: it should be the request’s own, the one that applied (item 5)',
    ).toBe(50);
    expect(clientError?.timeoutMs, 'the timeoutMs in the RequestTimeoutError of a request that gave none, on a client whose timeoutMs is 300').toBe(300);
    expect(
      [ownError?.correlationId, clientError?.correlationId],
      'the correlationId of each RequestTimeoutError: that of the request, as it went out on the wire',
    ).toEqual(['own', 'client’s'].map((body) => requests.find((r) => r.body === body)?.correlationId));
  });

  it('[5] times out at exactly the timeoutMs given to request, else the client’s, else 1000 ms, 0 included (property, 30 cases)', async () => {
    await timeoutProperty({ seed: 605, runs: 30 });
  });

  it('[5] takes a timeoutMs of undefined as none given, on the client and on request', async () => {
    const cases = [
      { built: 'a client built with { timeoutMs: undefined }, a request with no options', clientOptions: { timeoutMs: undefined }, own: {}, want: 1000 },
      { built: 'a client built with { timeoutMs: 300 }, a request given { timeoutMs: undefined }', clientOptions: { timeoutMs: 300 }, own: { timeoutMs: undefined }, want: 300 },
    ];
    for (const { built, clientOptions, own, want } of cases) {
      const { net, client } = world({ clientOptions, server: { delay: () => null } });
      const reply = settlement(client.request('anyone?', own), net);
      await net.runUntilIdleAsync(LIMIT);
      const what = reply.settled ? `${reply.resolved ? 'resolved' : `rejected with ${String(reply.error)}`} at ${reply.at} ms` : 'never settled';
      expect(
        { timedOut: reply.error instanceof rr.RequestTimeoutError, at: reply.at },
        `a timeoutMs that is undefined was taken as a timeout given ('timeoutMs' in options instead of ??): ${built}, to a server that never answers, ${what}; expected a RequestTimeoutError at ${want} ms`,
      ).toEqual({ timedOut: true, at: want });
    }
  });

  it('[6] ignores a reply that comes after its request timed out, and gives it to no one else', async () => {
    const { net, client } = world({
      timeoutMs: 200,
      server: { answer: (body) => `answer to ${String(body)}`, delay: (body) => (body === 'slow' ? 500 : 300) },
    });
    const slow = settlement(client.request('slow'), net);
    await net.advanceAsync(400); // 'slow' has timed out; its reply is on the way
    const next = settlement(client.request('next', { timeoutMs: 1000 }), net);
    await net.runUntilIdleAsync(LIMIT);
    expect(slow.error).toBeInstanceOf(rr.RequestTimeoutError);
    expect(next.value).toBe('answer to next');
    expect(client.pending).toBe(0);
  });

  it('[7] counts in pending the requests still waiting, and leaves none behind', async () => {
    const { net, client } = world({ timeoutMs: 100, server: { delay: (n) => ((n as number) % 2 === 0 ? 10 : null) } });
    for (let n = 0; n < 6; n++) void client.request(n).catch(() => {});
    expect(client.pending).toBe(6);
    await net.advanceAsync(50);
    expect(client.pending, 'the three answered requests are done').toBe(3);
    await net.runUntilIdleAsync(LIMIT);
    expect(client.pending, 'the three timed-out requests are done too').toBe(0);
  });

  it('[8] gives each caller its own reply under loss, duplication and reordering (20 seeds)', async () => {
    for (const seed of SEEDS) {
      const { net, client } = world({
        seed,
        timeoutMs: 400,
        faults: { loss: 0.1, duplicate: 0.2, delay: uniform(1, 100) },
        server: { answer: (n) => `answer to ${String(n)}`, delay: (n) => (n as number) % 7 },
      });
      const replies = Array.from({ length: 40 }, (_, n) => settlement(client.request(n), net));
      await net.runUntilIdleAsync(LIMIT);
      replies.forEach((reply, n) => {
        expect(reply.settled, `seed ${seed}: request ${n} never settled`).toBe(true);
        if (reply.error === undefined) expect(reply.value, `seed ${seed}: request ${n}`).toBe(`answer to ${String(n)}`);
        else expect(reply.error, `seed ${seed}: request ${n}`).toBeInstanceOf(rr.RequestTimeoutError);
      });
      expect(replies.filter((r) => r.error === undefined).length, `seed ${seed}: answered requests`).toBeGreaterThan(20);
      expect(client.pending, `seed ${seed}`).toBe(0);
    }
  });
});

canaries();
