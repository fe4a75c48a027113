/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/06-request-reply/checks.test.ts) of exercise 06, request-reply with correlation ids, on netsim in virtual time. Your
 * RequestReplyClient runs on node "client"; the server on node "server" is written here: it
 * answers each RequestEnvelope with a ReplyEnvelope, after a delay the check chooses.
 */
import { describe, expect, it } from 'vitest';
import { settlement, uniform } from '../../toolkit/netsim';
import { LIMIT, rr, timeoutProperty, world } from '../../exercises/06-request-reply/harness';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 3000 + i);

describe('RequestReplyClient', () => {
  it('[5] waits 1000 ms by default, and a timeoutMs given to request() wins over the client’s', async () => {
    const { net, client } = world({ server: { delay: () => null } });
    const byDefault = settlement(client.request('a'), net);
    const own = settlement(client.request('b', { timeoutMs: 50 }), net);
    await net.runUntilIdleAsync(LIMIT);
    expect([own.at, byDefault.at]).toEqual([50, 1000]);
    expect(own.error).toBeInstanceOf(rr.RequestTimeoutError);
  });

  it('[6] ignores duplicate replies', async () => {
    const { net, client } = world({ server: { answer: (n) => n } });
    net.setLinkFaults('server', 'client', { duplicate: 1 });
    const replies = [1, 2, 3].map((n) => settlement(client.request(n), net));
    await net.runUntilIdleAsync(LIMIT);
    expect(replies.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(client.pending).toBe(0);
  });

  it('[7] cancels a request’s timeout timer when its reply arrives', async () => {
    const { net, client } = world({ timeoutMs: 60_000 });
    for (let n = 0; n < 5; n++) void client.request(n);
    await net.advanceAsync(100);
    expect(net.clock.pendingTimers, 'timers still pending after every reply came').toBe(0);
  });

  it('[8] never gives a caller another caller’s reply under heavy duplication and reordering (40 more seeds)', async () => {
    for (const seed of MORE_SEEDS) {
      const { net, client } = world({
        seed,
        timeoutMs: 300,
        faults: { loss: 0.2, duplicate: 0.5, delay: uniform(1, 250) },
        server: { answer: (n) => `answer to ${String(n)}`, delay: (n) => (n as number) % 11 },
      });
      const replies = Array.from({ length: 40 }, (_, n) => settlement(client.request(n), net));
      await net.runUntilIdleAsync({ maxEvents: 50_000 });
      replies.forEach((reply, n) => {
        expect(reply.settled, `seed ${seed}: request ${n} never settled`).toBe(true);
        if (reply.error === undefined) expect(reply.value, `seed ${seed}: request ${n}`).toBe(`answer to ${String(n)}`);
        else expect(reply.error, `seed ${seed}: request ${n}`).toBeInstanceOf(rr.RequestTimeoutError);
      });
      expect(client.pending, `seed ${seed}`).toBe(0);
    }
  });

  it('[5] times out at exactly the timeoutMs given to request, else the client’s, else 1000 ms, 0 included (property, 200 more cases)', async () => {
    await timeoutProperty({ seed: 6050, runs: 200 });
  }, 60_000);
});

canaries();
