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

/** One step of a property run: what the checks do to your queue. */
export type Op =
  | { op: 'publish' }
  | { op: 'consume'; prefetch: number; acks: Acking }
  | { op: 'ack'; pick: number }
  | { op: 'ack again'; pick: number };

/** When a consumer of a property run acks: by hand (a later step), at once inside its handler, or at once only the odd items. */
type Acking = 'by hand' | 'at once' | 'odd ones at once';

/** Whether a consumer that acks as `acks` says acks `item` inside its handler. */
const acksAtOnce = (acks: Acking, item: number) => acks === 'at once' || (acks === 'odd ones at once' && item % 2 === 1);

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
 * The README's rules as a small executable model: a FIFO of at most `capacity` waiting items, the
 * overflow policy, consumers with credits, round-robin starting after the one served last, and
 * deliveries at once. A consumer that acks at once gets its credit back as soon as it is served.
 */
class QueueModel {
  /** The items waiting, oldest first. */
  readonly line: number[] = [];
  /** The items the overflow policy dropped. */
  readonly lost: number[] = [];
  readonly consumers: { name: string; credits: number; acks: Acking }[] = [];
  /** Who holds each delivered item not yet acked. */
  readonly holder = new Map<number, string>();
  /** The index of the consumer served last (-1: none yet). */
  private last = -1;
  log: string[] = [];

  constructor(
    readonly limit: number,
    readonly policy: Overflow,
  ) {}

  /** publish: the rules' answer. */
  put(item: number): boolean {
    const full = this.line.length === this.limit;
    if (full && this.policy === 'drop-newest') {
      this.lost.push(item);
    } else {
      if (full) this.lost.push(...this.line.splice(0, 1));
      this.line.push(item);
      this.hand();
    }
    return !full || this.policy === 'drop-oldest';
  }

  /** consume. */
  join(name: string, prefetch: number, acks: Acking): void {
    this.consumers.push({ name, credits: prefetch, acks });
    this.hand();
  }

  /** The first ack of a delivery (later ones change nothing). */
  settle(item: number): void {
    const name = this.holder.get(item);
    this.holder.delete(item);
    for (const c of this.consumers) if (c.name === name) c.credits += 1;
    this.hand();
  }

  /** Hands out what the rules hand out now: oldest item, next consumer with credit after the one served last. */
  private hand(): void {
    for (;;) {
      const n = this.consumers.length;
      const order = Array.from({ length: n }, (_, i) => (this.last + 1 + i) % n);
      const next = order.find((i) => this.consumers[i].credits > 0);
      if (next === undefined || this.line.length === 0) break;
      this.last = next;
      const [item] = this.line.splice(0, 1);
      const to = this.consumers[next];
      this.log.push(`${to.name}${item}`);
      if (acksAtOnce(to.acks, item)) continue;
      to.credits -= 1;
      this.holder.set(item, to.name);
    }
  }
}

/** The steps of a property run in words; `played` is how many of them ran before the failure. */
function stepsOf(run: OpsRun, played = run.ops.length): string[] {
  const words: string[] = [`a ${run.overflow} queue of capacity ${run.capacity}`];
  const model = new QueueModel(run.capacity, run.overflow);
  let published = 0;
  let consumers = 0;
  let done = 0;
  // The same picks as playOps: unacked deliveries, and acked ones, in the order they were made.
  const unacked: number[] = [];
  const acked: number[] = [];
  for (const step of run.ops) {
    if (done >= played) break;
    model.log = [];
    if (step.op === 'publish') {
      const item = ++published;
      model.put(item);
      words.push(`publish ${item}`);
    } else if (step.op === 'consume') {
      const name = CONSUMER_NAMES[consumers++ % CONSUMER_NAMES.length];
      model.join(name, step.prefetch, step.acks);
      words.push(`consumer ${name} registers with prefetch ${step.prefetch}${step.acks === 'by hand' ? '' : step.acks === 'at once' ? ', acking inside its handler' : ', acking odd items inside its handler'}`);
    } else {
      const pool = step.op === 'ack' ? unacked : acked;
      if (pool.length === 0) continue;
      const item = pool[step.pick % pool.length];
      if (step.op === 'ack') {
        words.push(`${model.holder.get(item)} acks item ${item}`);
        unacked.splice(unacked.indexOf(item), 1);
        acked.push(item);
        model.settle(item);
      } else {
        words.push(`item ${item} acked again`);
      }
    }
    done++;
    for (const delivery of model.log) {
      const item = Number(delivery.slice(1));
      if (model.holder.has(item)) unacked.push(item);
      else acked.push(item);
    }
  }
  return words;
}

/** How far the last property run got, for the words of its failure. */
let lastPlayed = 0;

/**
 * Plays a property run on your queue and on the model of the rules, step by step, and throws in
 * words the first difference: an invariant broken (more waiting than the capacity, a delivery
 * without credit, an item delivered twice, or delivered and dropped, an item lost), or a step whose
 * outcome differs from the rules (what publish answered, what was delivered to whom, what waits,
 * what was dropped).
 */
export function playOps(run: OpsRun): void {
  const queue = new queueing.BoundedQueue<number>({ capacity: run.capacity, overflow: run.overflow });
  const model = new QueueModel(run.capacity, run.overflow);
  const prefetchOf = new Map<string, number>();
  const held = new Map<string, number>();
  const delivered = new Set<number>();
  /** Deliveries your queue made, unacked (in delivery order) and acked. */
  const unacked: { item: number; consumer: string; ack: () => void }[] = [];
  const acked: { item: number; ack: () => void }[] = [];
  let log: string[] = [];
  let published = 0;
  let consumers = 0;
  lastPlayed = 0;
  const fail = (what: string) => {
    throw new Error(`at step ${lastPlayed + 1} (${stepsOf(run, lastPlayed).at(-1)}): ${what}`);
  };
  for (const step of run.ops) {
    log = [];
    model.log = [];
    if (step.op === 'publish') {
      const item = ++published;
      lastPlayed++;
      const atConsumers = unacked.length;
      const waitingBefore = model.line.length;
      const answer = queue.publish(item);
      const expected = model.put(item);
      if (answer !== expected) {
        fail(
          expected
            ? `publish answered false, but ${waitingBefore} ${waitingBefore === 1 ? 'item waited' : 'items waited'} in a queue of capacity ${run.capacity}${atConsumers > 0 ? ` (the ${atConsumers} ${atConsumers === 1 ? 'item at a consumer does' : 'items at consumers do'} not count)` : ''}, so item ${item} should have been accepted (items 4, 5${run.overflow === 'drop-oldest' ? ', 6' : ''})`
            : `publish answered true, but the queue was full (capacity ${run.capacity}) and drop-newest refuses the new item (item 5)`,
        );
      }
    } else if (step.op === 'consume') {
      const name = CONSUMER_NAMES[consumers++ % CONSUMER_NAMES.length];
      lastPlayed++;
      prefetchOf.set(name, step.prefetch);
      held.set(name, 0);
      queue.consume(step.prefetch, (delivery) => {
        const got = delivery.item;
        if (delivered.has(got)) fail(`item ${got} was delivered a second time, now to ${name} (an item is delivered once)`);
        if (model.lost.includes(got)) fail(`item ${got} was dropped by the overflow policy, and delivered to ${name} too (an item is either delivered or dropped)`);
        if ((held.get(name) ?? 0) >= step.prefetch) fail(`${name} was given item ${got} with no credit left: it already held ${held.get(name)} unacked (its prefetch is ${step.prefetch}; item 2)`);
        delivered.add(got);
        log.push(`${name}${got}`);
        held.set(name, (held.get(name) ?? 0) + 1);
        if (acksAtOnce(step.acks, got)) {
          acked.push({ item: got, ack: () => delivery.ack() });
          held.set(name, (held.get(name) ?? 0) - 1);
          delivery.ack();
        } else {
          unacked.push({ item: got, consumer: name, ack: () => delivery.ack() });
        }
      });
      model.join(name, step.prefetch, step.acks);
    } else {
      const pool = step.op === 'ack' ? unacked : acked;
      if (pool.length === 0) continue;
      const index = step.pick % pool.length;
      const chosen = pool[index];
      lastPlayed++;
      if (step.op === 'ack') {
        const { consumer } = unacked[index];
        unacked.splice(index, 1);
        acked.push(chosen);
        held.set(consumer, (held.get(consumer) ?? 0) - 1);
        chosen.ack();
        model.settle(chosen.item);
      } else {
        chosen.ack();
      }
    }
    if (queue.length > run.capacity) fail(`${queue.length} items wait in a queue of capacity ${run.capacity} (item 4)`);
    if (log.join() !== model.log.join()) {
      const said = (l: string[]) => (l.length === 0 ? 'nothing' : l.map((d) => `item ${d.slice(1)} to ${d[0]}`).join(', '));
      fail(`the rules deliver ${said(model.log)}, but the queue delivered ${said(log)} (oldest item first, at once, round-robin over the consumers with credit: items 1, 2, 3, 7, 8)`);
    }
    if (queue.length !== model.line.length) fail(`length is ${queue.length}, but ${model.line.length} ${model.line.length === 1 ? 'item waits' : 'items wait'} (${model.line.join(', ') || 'none'})`);
    if (queue.dropped.join() !== model.lost.join()) fail(`dropped is [${queue.dropped.join(', ')}], but the ${run.overflow} policy dropped [${model.lost.join(', ')}] (items 5, 6)`);
  }
  const accounted = delivered.size + queue.dropped.length + queue.length;
  if (accounted !== published) fail(`${published} items were published, but only ${accounted} were delivered, dropped or are waiting: an item was lost`);
}

/** A property run in words, as far as the last run played it: the steps of a failure's smallest run. */
export const opsSteps = (run: OpsRun): string[] => stepsOf(run, lastPlayed);
