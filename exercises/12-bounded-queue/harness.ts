/**
 * What the public and hidden checks of exercise 12 share; see checks.test.ts beside it.
 */
import { beforeEach, expect } from 'vitest';
import fc from 'fast-check';
import { Random, VirtualClock } from '../../toolkit/netsim';

type QueueModule = typeof import('@submission/12-bounded-queue/bounded-queue');
type Overflow = import('@submission/12-bounded-queue/bounded-queue').Overflow;
type QueueDelivery = import('@submission/12-bounded-queue/bounded-queue').QueueDelivery<number>;
export let queueing: QueueModule;

beforeEach(async () => {
  queueing = await import('@submission/12-bounded-queue/bounded-queue');
});

/** One delivery as the checks record it. */
export interface Received {
  consumer: string;
  item: number;
  t: number;
  ack: () => void;
}

/**
 * Your BoundedQueue of numbers, with consumers the checks add and a virtual clock for their work
 * (virtual time moves only when the checks run it).
 */
export function world(options: { capacity: number; overflow: Overflow }) {
  const clock = new VirtualClock();
  const queue = new queueing.BoundedQueue<number>(options);
  const received: Received[] = [];
  const unacked = new Map<string, number>();
  /** The most unacked items each consumer held at once. */
  const mostUnacked = new Map<string, number>();

  /**
   * A consumer that acks each item after `workMs(item)` of virtual time (0: at once, inside its
   * handler; undefined: never, the check acks by hand).
   */
  const addConsumer = (name: string, prefetch: number, workMs?: (item: number) => number | undefined) => {
    unacked.set(name, 0);
    queue.consume(prefetch, (delivery: QueueDelivery) => {
      unacked.set(name, (unacked.get(name) ?? 0) + 1);
      mostUnacked.set(name, Math.max(mostUnacked.get(name) ?? 0, unacked.get(name) ?? 0));
      let acked = false;
      const ack = () => {
        if (!acked) unacked.set(name, (unacked.get(name) ?? 0) - 1);
        acked = true;
        delivery.ack();
      };
      received.push({ consumer: name, item: delivery.item, t: clock.now(), ack });
      const ms = workMs?.(delivery.item);
      if (ms === 0) ack();
      else if (ms !== undefined) clock.setTimeout(ack, ms);
    });
  };
  const itemsOf = (name?: string) => received.filter((r) => name === undefined || r.consumer === name).map((r) => r.item);
  return { clock, queue, received, unacked, mostUnacked, addConsumer, itemsOf };
}

/** What a run under bursts looks like, for the invariants checked after every step. */
export interface BurstRun {
  published: number;
  delivered: number[];
  dropped: number[];
}

/**
 * Bursts of `burst` items every `everyMs`, `bursts` times, into a queue of `capacity` with three
 * consumers of different speeds (exponential work times); after every publish and every ack it
 * checks that the queue holds at most `capacity` items, that no consumer with credit left idles
 * while items wait, and (for drop-oldest) that what was dropped was the oldest item waiting.
 */
export function burstRun(options: { seed: number; overflow: Overflow; capacity: number; prefetch: number; burst: number; bursts: number; everyMs: number }): BurstRun {
  const { seed, overflow, capacity, prefetch } = options;
  const random = new Random(seed);
  const { clock, queue, received, unacked } = world({ capacity, overflow });
  const speeds: Record<string, number> = { fast: 2, medium: 10, slow: 40 };
  const consumers = Object.keys(speeds);
  /** Published, and neither delivered nor dropped yet, as the checks see it. */
  const waitingView = new Set<number>();
  for (const name of consumers) {
    queue.consume(prefetch, (delivery) => {
      waitingView.delete(delivery.item);
      unacked.set(name, (unacked.get(name) ?? 0) + 1);
      received.push({ consumer: name, item: delivery.item, t: clock.now(), ack: () => delivery.ack() });
      clock.setTimeout(() => {
        unacked.set(name, (unacked.get(name) ?? 0) - 1);
        delivery.ack();
        invariants(`after ${name} acked item ${delivery.item}`);
      }, random.exponential(speeds[name]));
    });
  }
  // Checked after every step, so expect() runs only on a failure: it is too slow for every step.
  // Each read of the queue is read once: in the final grade, each is a message to the queue's own process.
  const invariants = (when: string) => {
    const waiting = queue.length;
    if (waiting > capacity) expect(waiting, `seed ${seed}, ${when}: more items waiting than the capacity`).toBeLessThanOrEqual(capacity);
    for (const name of consumers) {
      const held = unacked.get(name) ?? 0;
      if (held > prefetch) expect(held, `seed ${seed}, ${when}: consumer ${name} holds more than its prefetch`).toBeLessThanOrEqual(prefetch);
      if (waiting > 0 && held < prefetch) expect(held, `seed ${seed}, ${when}: consumer ${name} had credit left while ${waiting} items waited`).toBe(prefetch);
    }
  };
  let published = 0;
  for (let b = 0; b < options.bursts; b++) {
    clock.setTimeout(() => {
      for (let i = 0; i < options.burst; i++) {
        const item = ++published;
        const droppedBefore = queue.dropped.length;
        const oldest = Math.min(...waitingView);
        waitingView.add(item);
        const accepted = queue.publish(item);
        const dropped = queue.dropped;
        const refused = dropped.at(-1) === item;
        if (overflow === 'drop-newest' && accepted === refused) {
          expect(accepted, `seed ${seed}: publish must answer false exactly when it drops the item published`).toBe(!refused);
        }
        if (overflow === 'drop-oldest' && dropped.length > droppedBefore && dropped.at(-1) !== oldest) {
          expect(dropped.at(-1), `seed ${seed}: a full drop-oldest queue must drop the item that waited longest`).toBe(oldest);
        }
        for (const n of dropped.slice(droppedBefore)) waitingView.delete(n);
        invariants(`after publishing item ${item}`);
      }
    }, b * options.everyMs);
  }
  clock.runUntilIdle({ maxEvents: 100_000 });
  return { published, delivered: received.map((r) => r.item), dropped: [...queue.dropped] };
}

/** One step of a property run: what the checks do to your queue. */
export type Op =
  | { op: 'publish' }
  | { op: 'consume'; prefetch: number; acks: Acking }
  | { op: 'ack'; pick: number }
  | { op: 'ack again'; pick: number };

/** When a consumer of a property run acks: by hand (a later step), at once inside its handler, or at once only the odd items. */
export type Acking = 'by hand' | 'at once' | 'odd ones at once';

/** Whether a consumer that acks as `acks` says acks `item` inside its handler. */
export const acksAtOnce = (acks: Acking, item: number) => acks === 'at once' || (acks === 'odd ones at once' && item % 2 === 1);

/** A property run: a queue and the steps done to it. */
export interface OpsRun {
  capacity: number;
  overflow: Overflow;
  ops: Op[];
}

/** Property runs of up to `most.ops` steps into queues of capacity 1 to `most.capacity`. */
export const opsRuns = (most: { capacity: number; prefetch: number; ops: number }): fc.Arbitrary<OpsRun> =>
  fc.record({
    capacity: fc.integer({ min: 1, max: most.capacity }),
    overflow: fc.constantFrom<Overflow>('drop-newest', 'drop-oldest'),
    ops: fc.array(
      fc.oneof(
        { arbitrary: fc.constant<Op>({ op: 'publish' }), weight: 4 },
        { arbitrary: fc.record({ op: fc.constant('consume' as const), prefetch: fc.integer({ min: 1, max: most.prefetch }), acks: fc.constantFrom<Acking>('by hand', 'at once', 'odd ones at once') }), weight: 1 },
        { arbitrary: fc.record({ op: fc.constant('ack' as const), pick: fc.nat(20) }), weight: 3 },
        { arbitrary: fc.record({ op: fc.constant('ack again' as const), pick: fc.nat(20) }), weight: 1 },
      ),
      { maxLength: most.ops },
    ),
  });

const CONSUMER_NAMES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * What a judge of a property run is told, step by step, besides what the invariants of
 * {@link playOps} look at; each answer is what went wrong at that step, in words, or undefined.
 */
export interface OpsJudge {
  /** Item `item` was published, and `publish` answered `answer`. */
  published(item: number, answer: boolean): string | undefined;
  /** A consumer registered. */
  registered(name: string, prefetch: number, acks: Acking): void;
  /** The first ack of the delivery of `item`. */
  acked(item: number): void;
  /** A step is over: what it delivered ("A3": item 3 to consumer A), and the queue now. */
  after(delivered: string[], queue: { length: number; dropped: readonly number[] }): string | undefined;
}

/** The steps of the last property run played, in words, as far as it went: the steps of its failure. */
let lastWords: string[] = [];

/**
 * Plays a property run on your queue and throws in words the first step after which something the
 * README states of every moment does not hold: more waiting than the capacity, a delivery without
 * credit, an item delivered twice, out of order, or delivered and dropped, an item dropped while the
 * queue had room, a drop-oldest queue that did not drop the item that waited longest, an answer of
 * `publish` that does not match what it dropped, a consumer with credit left while items wait,
 * `length` that is not what was published and neither delivered nor dropped (after a step, and
 * inside a handler), an item lost; or what
 * `judge` (the hidden checks' model of the rules) finds wrong with a step.
 */
export function playOps(run: OpsRun, judge?: OpsJudge): void {
  const queue = new queueing.BoundedQueue<number>({ capacity: run.capacity, overflow: run.overflow });
  const words = [`a ${run.overflow} queue of capacity ${run.capacity}`];
  lastWords = words;
  const consumers: { name: string; prefetch: number; held: number }[] = [];
  const delivered = new Set<number>();
  /** Published, and neither delivered nor dropped, as the checks see it. */
  const waiting = new Set<number>();
  /** Deliveries your queue made, unacked (in delivery order) and acked. */
  const unacked: { item: number; consumer: (typeof consumers)[number]; ack: () => void }[] = [];
  const acked: { item: number; ack: () => void }[] = [];
  let log: string[] = [];
  let published = 0;
  let newest = 0;
  const fail = (what: string) => {
    throw new Error(`at step ${words.length} (${words.at(-1)}): ${what}`);
  };
  const items = (list: Iterable<number>) => [...list].join(', ') || 'none';
  for (const step of run.ops) {
    log = [];
    if (step.op === 'publish') {
      const item = ++published;
      words.push(`publish ${item}`);
      const before = [...waiting];
      const droppedBefore = queue.dropped.length;
      waiting.add(item);
      const answer = queue.publish(item);
      const dropped = queue.dropped.slice(droppedBefore);
      for (const n of dropped) waiting.delete(n);
      const refused = dropped.includes(item);
      if (dropped.length > 0 && before.length < run.capacity) {
        fail(`item ${items(dropped)} was dropped, but only ${before.length} ${before.length === 1 ? 'item waited' : 'items waited'} (${items(before)}) in a queue of capacity ${run.capacity}: a queue with room drops nothing (items 4, 5, 6)`);
      }
      if (run.overflow === 'drop-newest') {
        if (answer === refused) fail(`publish answered ${answer}, but item ${item} was ${refused ? '' : 'not '}dropped: drop-newest answers false exactly when it refuses the item published (item 5)`);
        if (dropped.some((n) => n !== item)) fail(`drop-newest dropped item ${items(dropped.filter((n) => n !== item))}, which waited: it refuses the new item and keeps what it holds (item 5)`);
      } else {
        if (!answer) fail('publish answered false, but a drop-oldest queue keeps the new item and answers true (item 6)');
        const oldest = Math.min(...before);
        if (dropped.length > 1 || (dropped.length === 1 && dropped[0] !== oldest)) fail(`drop-oldest dropped ${items(dropped)}, but the item that waited longest was ${oldest} (item 6)`);
      }
      const wrong = judge?.published(item, answer);
      if (wrong) fail(wrong);
    } else if (step.op === 'consume') {
      const consumer = { name: CONSUMER_NAMES[consumers.length % CONSUMER_NAMES.length], prefetch: step.prefetch, held: 0 };
      consumers.push(consumer);
      const { name } = consumer;
      words.push(`consumer ${name} registers with prefetch ${step.prefetch}${step.acks === 'by hand' ? '' : step.acks === 'at once' ? ', acking inside its handler' : ', acking odd items inside its handler'}`);
      queue.consume(step.prefetch, (delivery) => {
        const got = delivery.item;
        // Each read of the queue once: in the final grade, each is a message to the queue's own process.
        const dropped = queue.dropped;
        const length = queue.length;
        if (delivered.has(got)) fail(`item ${got} was delivered a second time, now to ${name} (an item is delivered once)`);
        if (dropped.includes(got)) fail(`item ${got} was dropped by the overflow policy, and delivered to ${name} too (an item is either delivered or dropped)`);
        if (got < newest) fail(`item ${got} was delivered to ${name} after item ${newest}, which was published later: the oldest item goes first (item 1)`);
        if (consumer.held >= step.prefetch) fail(`${name} was given item ${got} with no credit left: it already held ${consumer.held} unacked (its prefetch is ${step.prefetch}; item 2)`);
        delivered.add(got);
        waiting.delete(got);
        const stillWaiting = [...waiting].filter((n) => !dropped.includes(n));
        if (length !== stillWaiting.length) {
          fail(`inside ${name}'s handler for item ${got}, length was ${length}, but ${items(stillWaiting)} ${stillWaiting.length === 1 ? 'waits' : 'wait'}: item ${got} is at its consumer once its handler is called (take it off the queue before calling the handler; item 4)`);
        }
        newest = got;
        log.push(`${name}${got}`);
        consumer.held++;
        if (acksAtOnce(step.acks, got)) {
          acked.push({ item: got, ack: () => delivery.ack() });
          consumer.held--;
          delivery.ack();
        } else {
          unacked.push({ item: got, consumer, ack: () => delivery.ack() });
        }
      });
      judge?.registered(name, step.prefetch, step.acks);
    } else {
      const pool = step.op === 'ack' ? unacked : acked;
      if (pool.length === 0) continue;
      const index = step.pick % pool.length;
      const chosen = pool[index];
      if (step.op === 'ack') {
        const { consumer } = unacked[index];
        words.push(`${consumer.name} acks item ${chosen.item}`);
        unacked.splice(index, 1);
        acked.push(chosen);
        consumer.held--;
        chosen.ack();
        judge?.acked(chosen.item);
      } else {
        words.push(`item ${chosen.item} acked again`);
        chosen.ack();
      }
    }
    const length = queue.length;
    if (length > run.capacity) fail(`${length} items wait in a queue of capacity ${run.capacity} (item 4)`);
    if (length !== waiting.size) fail(`length is ${length}, but ${waiting.size} published ${waiting.size === 1 ? 'item was' : 'items were'} neither delivered nor dropped (${items(waiting)})`);
    const idle = consumers.find((c) => c.held < c.prefetch);
    if (waiting.size > 0 && idle) fail(`${idle.name} has credit left (${idle.held} unacked, prefetch ${idle.prefetch}) while ${items(waiting)} ${waiting.size === 1 ? 'waits' : 'wait'}: a waiting item goes to a consumer with credit at once (items 2, 3)`);
    const wrong = judge?.after(log, { length, dropped: queue.dropped });
    if (wrong) fail(wrong);
  }
  const accounted = delivered.size + queue.dropped.length + queue.length;
  if (accounted !== published) fail(`${published} items were published, but only ${accounted} were delivered, dropped or are waiting: an item was lost`);
}

/** A property run in words, as far as the last run played it: the steps of a failure's smallest run. */
export const opsSteps = (): string[] => lastWords;
