/**
 * What the public and hidden checks of exercise 12 share; see checks.test.ts beside it.
 */
import { beforeEach, expect } from 'vitest';
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
  const addConsumer = (name: string, prefetch: number, workMs?: (item: number) => number) => {
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
  const invariants = (when: string) => {
    if (queue.length > capacity) expect(queue.length, `seed ${seed}, ${when}: more items waiting than the capacity`).toBeLessThanOrEqual(capacity);
    for (const name of consumers) {
      const held = unacked.get(name) ?? 0;
      if (held > prefetch) expect(held, `seed ${seed}, ${when}: consumer ${name} holds more than its prefetch`).toBeLessThanOrEqual(prefetch);
      if (queue.length > 0 && held < prefetch) expect(held, `seed ${seed}, ${when}: consumer ${name} had credit left while ${queue.length} items waited`).toBe(prefetch);
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
        const refused = queue.dropped.at(-1) === item;
        if (overflow === 'drop-newest' && accepted === refused) {
          expect(accepted, `seed ${seed}: publish must answer false exactly when it drops the item published`).toBe(!refused);
        }
        if (overflow === 'drop-oldest' && queue.dropped.length > droppedBefore && queue.dropped.at(-1) !== oldest) {
          expect(queue.dropped.at(-1), `seed ${seed}: a full drop-oldest queue must drop the item that waited longest`).toBe(oldest);
        }
        for (const n of queue.dropped.slice(droppedBefore)) waitingView.delete(n);
        invariants(`after publishing item ${item}`);
      }
    }, b * options.everyMs);
  }
  clock.runUntilIdle({ maxEvents: 100_000 });
  return { published, delivered: received.map((r) => r.item), dropped: [...queue.dropped] };
}
