/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 06, request-reply with correlation ids, on netsim in virtual time. Your
 * RequestReplyClient runs on node "client"; the server on node "server" is written here: it
 * answers each RequestEnvelope with a ReplyEnvelope, after a delay the check chooses.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Network, uniform, type Endpoint, type LinkFaults } from '../../toolkit/netsim';

type ClientModule = typeof import('@submission/06-request-reply/request-reply');
type RequestEnvelope = import('@submission/06-request-reply/request-reply').RequestEnvelope;
let rr: ClientModule;

beforeEach(async () => {
  rr = await import('@submission/06-request-reply/request-reply');
});

const SEEDS = Array.from({ length: 20 }, (_, i) => 200 + i);
/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 3000 + i);
const LIMIT = { maxEvents: 20_000 };

interface ServerBehaviour {
  /** The reply body for a request body; default: `{ echo: body }`. */
  answer?: (body: unknown) => unknown;
  /** How long the server takes, in ms; `null` means it never answers. Default 0. */
  delay?: (body: unknown) => number | null;
}

/** A client node with your client on it, and a server node that replies as told. */
function world(options: { seed?: number; faults?: LinkFaults; timeoutMs?: number; server?: ServerBehaviour } = {}) {
  const net = new Network({ seed: options.seed ?? 1, faults: options.faults ?? { delay: 5 } });
  const requests: RequestEnvelope[] = [];
  const answer = options.server?.answer ?? ((body: unknown) => ({ echo: body }));
  const delay = options.server?.delay ?? (() => 0);
  const server: Endpoint = net.addNode('server', (message) => {
    const request = message.payload as RequestEnvelope;
    requests.push(request);
    const wait = delay(request.body);
    if (wait === null) return;
    server.setTimeout(() => server.send(message.from, { type: 'reply', correlationId: request.correlationId, body: answer(request.body) }), wait);
  });
  const client = new rr.RequestReplyClient(
    net.addNode('client'),
    'server',
    options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
  );
  return { net, client, requests };
}

/** Follows a promise without awaiting it, noting the virtual time it settled at. */
function outcome(promise: Promise<unknown>, net: Network) {
  const state: { settled: boolean; at?: number; value?: unknown; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value, at: net.now() }),
    (error: unknown) => Object.assign(state, { settled: true, error, at: net.now() }),
  );
  return state;
}

describe('RequestReplyClient', () => {
  it('waits 1000 ms by default, and a timeoutMs given to request() wins over the client’s', async () => {
    const { net, client } = world({ server: { delay: () => null } });
    const byDefault = outcome(client.request('a'), net);
    const own = outcome(client.request('b', { timeoutMs: 50 }), net);
    await net.runUntilIdleAsync(LIMIT);
    expect([own.at, byDefault.at]).toEqual([50, 1000]);
    expect(own.error).toBeInstanceOf(rr.RequestTimeoutError);
  });

  it('ignores duplicate replies', async () => {
    const { net, client } = world({ server: { answer: (n) => n } });
    net.setLinkFaults('server', 'client', { duplicate: 1 });
    const replies = [1, 2, 3].map((n) => outcome(client.request(n), net));
    await net.runUntilIdleAsync(LIMIT);
    expect(replies.map((r) => r.value)).toEqual([1, 2, 3]);
    expect(client.pending).toBe(0);
  });

  it('cancels a request’s timeout timer when its reply arrives', async () => {
    const { net, client } = world({ timeoutMs: 60_000 });
    for (let n = 0; n < 5; n++) void client.request(n);
    await net.advanceAsync(100);
    expect(net.clock.pendingTimers, 'timers still pending after every reply came').toBe(0);
  });

  it('never gives a caller another caller’s reply under heavy duplication and reordering (40 more seeds)', async () => {
    for (const seed of MORE_SEEDS) {
      const { net, client } = world({
        seed,
        timeoutMs: 300,
        faults: { loss: 0.2, duplicate: 0.5, delay: uniform(1, 250) },
        server: { answer: (n) => `answer to ${n}`, delay: (n) => (n as number) % 11 },
      });
      const replies = Array.from({ length: 40 }, (_, n) => outcome(client.request(n), net));
      await net.runUntilIdleAsync({ maxEvents: 50_000 });
      replies.forEach((reply, n) => {
        expect(reply.settled, `seed ${seed}: request ${n} never settled`).toBe(true);
        if (reply.error === undefined) expect(reply.value, `seed ${seed}: request ${n}`).toBe(`answer to ${n}`);
        else expect(reply.error, `seed ${seed}: request ${n}`).toBeInstanceOf(rr.RequestTimeoutError);
      });
      expect(client.pending, `seed ${seed}`).toBe(0);
    }
  });
});
