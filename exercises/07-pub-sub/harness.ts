/**
 * What the public and hidden checks of exercise 07 share; see checks.test.ts beside it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { fc, holdsFor } from '../../checker/shared/property';
type BrokerModule = typeof import('@submission/07-pub-sub/broker');

export let Broker: BrokerModule['Broker'];

beforeEach(async () => {
  ({ Broker } = await import('@submission/07-pub-sub/broker'));
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

export const work = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets pending deliveries run, moving (fake) time on by `ms`. */
export const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

// The property-based checks (fast-check), shared by the public checks (few cases) and the final
// grade (more cases, another seed). On failure they show the smallest case found, in words, with
// the seed.

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

type Step = { op: 'subscribe'; fn: number; topic: string } | { op: 'unsubscribe'; subscription: number } | { op: 'publish'; topic: string };

const stepInWords = (step: Step): string =>
  step.op === 'subscribe'
    ? `subscribe function f${step.fn} to "${step.topic}"`
    : step.op === 'unsubscribe'
      ? `end subscription #${step.subscription + 1}`
      : `publish on "${step.topic}"`;

/**
 * [1, 4] Every call of `subscribe` is a subscription of its own, the same function too, and its
 * unsubscribe function ends that one only: checked against a model of the subscriptions, over
 * random sequences of subscribe, unsubscribe (again, too) and publish.
 */
export async function subscriptionsProperty(budget: Budget): Promise<void> {
  const topic = fc.constantFrom('a', 'b');
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('subscribe' as const), fn: fc.integer({ min: 1, max: 2 }), topic }),
    fc.record({ op: fc.constant('unsubscribe' as const), subscription: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ op: fc.constant('publish' as const), topic }),
  );
  await holdsFor(
    fc.array(step, { minLength: 1, maxLength: 12 }),
    async (steps) => {
      const broker = new Broker();
      const got = new Map<number, string[]>([
        [1, []],
        [2, []],
      ]);
      const fns = new Map([1, 2].map((n) => [n, (message: string) => void got.get(n)?.push(message)]));
      const model: { fn: number; topic: string; active: boolean; end: () => void }[] = [];
      const expected = new Map<number, string[]>([
        [1, []],
        [2, []],
      ]);
      for (const [k, s] of steps.entries()) {
        if (s.op === 'subscribe') {
          model.push({ fn: s.fn, topic: s.topic, active: true, end: broker.subscribe(s.topic, fns.get(s.fn) as (m: string) => void) });
        } else if (s.op === 'unsubscribe') {
          const sub = model[s.subscription];
          if (!sub) continue;
          sub.end();
          sub.active = false;
        } else {
          const message = `message ${k + 1}`;
          const goesTo = model.filter((m) => m.active && m.topic === s.topic);
          for (const m of goesTo) expected.get(m.fn)?.push(message);
          const count = broker.publish(s.topic, message);
          if (count !== goesTo.length) {
            return `publish at step ${k + 1} returned ${count}, but ${goesTo.length} subscription(s) of "${s.topic}" were open: each subscribe call is a subscription of its own, the same function twice too`;
          }
        }
        await settle();
      }
      for (const n of [1, 2]) {
        const want = (expected.get(n) ?? []).join(', ') || 'nothing';
        const have = (got.get(n) ?? []).join(', ') || 'nothing';
        if (want !== have) {
          return `f${n} got ${have}, but its open subscriptions should have brought ${want}: each subscribe call is a subscription of its own (a function subscribed twice gets a message twice), and its unsubscribe ends that one only`;
        }
      }
      return undefined;
    },
    { ...budget, describe: (steps) => steps.map((s, k) => `${k + 1}. ${stepInWords(s)}`).join('; ') },
  );
}

/**
 * [7] `idle()` resolves only when no delivery is left, including those of messages that
 * subscribers publish while it waits.
 */
export async function idleProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    hops: fc.integer({ min: 1, max: 4 }),
    workMs: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    idleAt: fc.integer({ min: 0, max: 40 }),
  });
  await holdsFor(
    cases,
    async ({ hops, workMs, idleAt }) => {
      const broker = new Broker();
      let published = 0;
      let finished = 0;
      const relay = (hop: number) => broker.subscribe(`hop${hop}`, async (n: number) => {
        await work(workMs[hop] * 10);
        if (hop + 1 < hops) published += broker.publish(`hop${hop + 1}`, n);
        finished++;
      });
      for (let hop = 0; hop < hops; hop++) relay(hop);
      const t0 = Date.now();
      published += broker.publish('hop0', 1);
      let problem: string | undefined;
      let resolved = false;
      setTimeout(() => {
        void broker.idle().then(() => {
          resolved = true;
          if (finished < hops) {
            problem =
              `idle(), called at t=${idleAt} ms, resolved at t=${Date.now() - t0} ms with ${hops - finished} of ${hops} deliveries unfinished ` +
              '(messages published by subscribers while idle() waited): idle() must wait until no delivery is left, those started meanwhile too';
          }
        });
      }, idleAt);
      await vi.runAllTimersAsync();
      await settle();
      if (published !== hops) return `the chain of ${hops} subscribers, each publishing to the next, made ${published} deliveries, expected ${hops}`;
      return problem ?? (resolved ? undefined : `idle(), called at t=${idleAt} ms, never resolved, though every delivery had finished`);
    },
    {
      ...budget,
      describe: (c) =>
        `a chain of ${c.hops} subscriber(s) on topics hop0.., each working ${c.workMs
          .slice(0, c.hops)
          .map((ms) => `${ms * 10}`)
          .join(', ')} ms and then publishing to the next; one message published on hop0; idle() called at t=${c.idleAt} ms`,
    },
  );
}
