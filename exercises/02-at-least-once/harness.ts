/**
 * What the public and hidden checks of exercise 02 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, settlement, type LinkFaults, type Settlement } from '../../toolkit/netsim';
import { fc, holdsFor } from '../../checker/shared/property';
import { traced } from '../../checker/shared/netsim-trace';
type SenderModule = typeof import('@submission/02-at-least-once/sender');

type ReceiverModule = typeof import('@submission/02-at-least-once/receiver');
type Delivery = import('@submission/02-at-least-once/receiver').Delivery;
export type SenderOptions = import('@submission/02-at-least-once/sender').ReliableSenderOptions;
export let sending: SenderModule;
let receiving: ReceiverModule;

beforeEach(async () => {
  sending = await import('@submission/02-at-least-once/sender');
  receiving = await import('@submission/02-at-least-once/receiver');
});

/** Guards every run: a sender that keeps re-arming timers fails fast instead of spinning. */
export const LIMIT = { maxEvents: 20_000 };

/**
 * A sender node and a receiver node, with your classes on them; with `receivers`, one receiver on
 * each of those nodes instead (their deliveries all go to `deliveries`).
 */
export function world(
  options: { seed?: number; faults?: LinkFaults; sender?: SenderOptions; onDelivery?: (delivery: Delivery) => void; receivers?: string[] } = {},
) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const deliveries: Delivery[] = [];
  const sender = new sending.ReliableSender(net.addNode('sender'), options.sender);
  for (const node of options.receivers ?? ['receiver']) {
    new receiving.AckingReceiver(net.addNode(node), (delivery) => {
      options.onDelivery?.(delivery);
      deliveries.push(delivery);
    });
  }
  /** Virtual times at which the sender put something on the wire. */
  const sendTimes = () => net.trace.filter((e) => e.kind === 'send' && e.from === 'sender').map((e) => e.t);
  return { net, sender, deliveries, sendTimes };
}

/** What an `onDelivery` of the checks throws, to refuse a copy. */
class Refused extends Error {
  override readonly name = 'Refused';
}

/**
 * Runs `net` until idle, carrying on past every {@link Refused} thrown by `onDelivery` (a receiver
 * may let it propagate out of its message handler, or catch it: both are fine).
 */
async function runPastRefusals(net: Network): Promise<void> {
  for (;;) {
    try {
      await net.runUntilIdleAsync(LIMIT);
      return;
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
    }
  }
}

// The property-based checks (fast-check), shared by the public checks (few cases) and the final
// grade (more cases, another seed). Each draws small networks, runs your sender and receiver on
// them, and on failure shows the smallest case it found, in words, with the seed.

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

const waiting = (results: Settlement<void>[]) => results.filter((r) => !r.settled).length;

/**
 * [8] At every step of a run, `inFlight` is the number of sends whose promise has not settled yet:
 * acknowledged and given-up messages no longer count.
 */
export async function inFlightProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    seed: fc.integer({ min: 1, max: 10_000 }),
    loss: fc.constantFrom(0, 0.3, 0.7, 1),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    messages: fc.integer({ min: 1, max: 5 }),
  });
  await holdsFor(
    cases,
    async ({ seed, loss, maxAttempts, messages }) => {
      const { net, sender } = world({ seed, faults: { loss, delay: 20 }, sender: { retransmitMs: 50, maxAttempts } });
      const results = Array.from({ length: messages }, (_, i) => settlement(sender.send('receiver', i), net));
      while (net.clock.pendingTimers > 0 && net.now() < 5_000) {
        await net.advanceAsync(5);
        if (sender.inFlight !== waiting(results)) {
          const given = results.filter((r) => r.settled && !r.resolved).length;
          return (
            `at t=${net.now()} ms inFlight was ${sender.inFlight}, but ${waiting(results)} sends were still waiting ` +
            `(${results.length - waiting(results)} settled, ${given} of them given up with a DeliveryError): inFlight must count ` +
            'the messages sent and neither acknowledged nor given up, so drop a message when its send rejects too'
          );
        }
      }
      return undefined;
    },
    {
      ...budget,
      describe: (c) => `${c.messages} message(s), ${c.loss * 100}% loss both ways, maxAttempts ${c.maxAttempts}, retransmitMs 50, 20 ms delay, network seed ${c.seed}`,
    },
  );
}

/**
 * [9] The receiver acks a copy only once `onDelivery` returned: when it throws, no ack, so the
 * sender sends the copy again, and `send` resolves only after a copy was delivered.
 */
export async function refusalProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    seed: fc.integer({ min: 1, max: 10_000 }),
    loss: fc.constantFrom(0, 0.2),
    refusals: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }),
  });
  await holdsFor(
    cases,
    async ({ seed, loss, refusals }) => {
      const refusedSoFar = refusals.map(() => 0);
      const { net, sender, deliveries } = world({
        seed,
        faults: { loss, delay: 5 },
        sender: { retransmitMs: 50, maxAttempts: 40 },
        onDelivery: (d) => {
          const n = d.payload as number;
          if (refusedSoFar[n] < refusals[n]) {
            refusedSoFar[n]++;
            throw new Refused(`onDelivery refuses copy ${refusedSoFar[n]} of message ${n}`);
          }
        },
      });
      const early: string[] = [];
      const results = refusals.map((_, n) =>
        settlement(
          sender.send('receiver', n).then(() => {
            if (!deliveries.some((d) => d.payload === n)) early.push(`message ${n}`);
          }),
          net,
        ),
      );
      await runPastRefusals(net);
      if (early.length > 0) {
        return (
          `send resolved for ${early.join(', ')} while every copy of it so far made onDelivery throw: the receiver acked a copy ` +
          'that was not delivered (ack only after onDelivery returned, and send no ack when it throws)'
        );
      }
      const failed = results.flatMap((r, n) => (r.resolved ? [] : [`message ${n}: ${r.settled ? String(r.error) : 'never settled'}`]));
      if (failed.length > 0) return `not every send resolved once onDelivery accepted a copy: ${failed.join('; ')}`;
      return undefined;
    },
    {
      ...budget,
      describe: (c) =>
        `${c.refusals.length} message(s) whose first ${c.refusals.join(', ')} cop(y/ies) onDelivery refuses by throwing, ${c.loss * 100}% loss both ways, retransmitMs 50, 5 ms delay, network seed ${c.seed}`,
    },
  );
}

/**
 * [2] Ids are unique per sender for its whole life: sends made at once and sends made after earlier
 * ones were acknowledged all carry ids of their own.
 */
export async function uniqueIdsProperty(budget: Budget): Promise<void> {
  // The wait before each send after the first: 0 sends at the same moment, 30 after the earlier sends were acked (10 ms).
  const cases = fc.array(fc.constantFrom(0, 30), { minLength: 1, maxLength: 6 });
  const sendTimes = (gaps: number[]) => gaps.reduce((times, gap) => [...times, times[times.length - 1] + gap], [0]);
  await holdsFor(
    cases,
    async (gaps) => {
      const { net, sender, deliveries } = world();
      const results: Settlement<void>[] = [];
      for (const [n, gap] of [0, ...gaps].entries()) {
        if (gap > 0) await net.advanceAsync(gap);
        results.push(settlement(sender.send('receiver', n), net));
      }
      await net.runUntilIdleAsync(LIMIT);
      const messageOf = new Map<string, unknown>();
      for (const { id, payload } of deliveries) {
        const earlier = messageOf.get(id);
        if (messageOf.has(id) && earlier !== payload) {
          return (
            `messages ${String(earlier)} and ${String(payload)} both carried the id "${id}": an id must be unique for the sender's ` +
            'whole life, not only among messages in flight (a count of pending messages repeats)'
          );
        }
        messageOf.set(id, payload);
      }
      const unsettled = results.flatMap((r, n) => (r.resolved ? [] : [`message ${n}`]));
      if (unsettled.length > 0) return `${unsettled.join(', ')} never resolved, with no loss on the network: did a later send reuse its id and take its place?`;
      return undefined;
    },
    { ...budget, describe: (gaps) => `messages 0 to ${gaps.length} sent at t = ${sendTimes(gaps).join(', ')} ms, 5 ms delay, no loss` },
  );
}
