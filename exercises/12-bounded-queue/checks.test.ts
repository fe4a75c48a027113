/**
 * Checks of exercise 12, a bounded queue with credit-based delivery. Your BoundedQueue holds
 * numbers; the checks' consumers ack by hand, at once, or after some virtual time (netsim's
 * VirtualClock: time moves only when the checks run it).
 */
import { describe, expect, it } from 'vitest';
import { burstRun, opsRuns, opsSteps, playOps, queueing, world } from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('BoundedQueue', () => {
  it('[1] delivers items in the order they were published, at once, inside publish', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('c', 10);
    for (const item of [1, 2, 3]) queue.publish(item);
    expect(itemsOf(), 'delivered by the time publish returned, oldest first').toEqual([1, 2, 3]);
    expect(queue.length).toBe(0);
  });

  it('[2] gives a consumer at most prefetch unacked items, and the next one the moment it acks', () => {
    const { queue, received, addConsumer, itemsOf, mostUnacked } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('c', 2);
    for (const item of [1, 2, 3, 4, 5]) queue.publish(item);
    expect(itemsOf(), 'a prefetch of 2 is two items out, no more').toEqual([1, 2]);
    expect(queue.length, 'the rest waits in the queue').toBe(3);
    received[0].ack();
    expect(itemsOf(), 'one ack returns one credit, and item 3 is delivered inside ack').toEqual([1, 2, 3]);
    expect(mostUnacked.get('c')).toBe(2);
  });

  it('[2] works with a consumer that acks inside its handler: every item once, in order', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 50, overflow: 'drop-newest' });
    for (let item = 1; item <= 30; item++) queue.publish(item);
    addConsumer('c', 1, () => 0);
    expect(itemsOf()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(queue.length).toBe(0);
  });

  it('[2] never gives a consumer more than its prefetch, also when its handler acks some items at once', () => {
    const { queue, addConsumer, itemsOf, mostUnacked } = world({ capacity: 10, overflow: 'drop-newest' });
    for (const item of [1, 2, 3]) queue.publish(item);
    addConsumer('c', 1, (item) => (item === 1 ? 0 : undefined));
    expect(itemsOf(), 'c acks item 1 inside its handler and keeps item 2: with a prefetch of 1, item 3 waits').toEqual([1, 2]);
    expect(mostUnacked.get('c'), 'unacked items c held at once').toBe(1);
  });

  it('[2] works with a consumer that acks inside its handler while 100,000 items wait: every item once, in order', () => {
    const count = 100_000;
    const queue = new queueing.BoundedQueue<number>({ capacity: count, overflow: 'drop-newest' });
    for (let item = 1; item <= count; item++) queue.publish(item);
    const got: number[] = [];
    try {
      queue.consume(1, (delivery) => {
        got.push(delivery.item);
        delivery.ack();
      });
    } catch (error) {
      throw new Error(
        `a consumer that acks inside its handler, with ${count} items waiting: the queue threw "${error instanceof Error ? error.message : String(error)}" after ${got.length} deliveries; deliver in a loop, not by calling deliver again from inside ack (item 2)`,
        { cause: error },
      );
    }
    const wrong = got.findIndex((item, i) => item !== i + 1);
    expect(wrong, `delivery ${wrong + 1} was item ${got[wrong]}, not ${wrong + 1}: every item once, in order (item 2)`).toBe(-1);
    expect(got.length, `${got.length} of ${count} items were delivered`).toBe(count);
    expect(queue.length).toBe(0);
  });

  it('[3] keeps items published before any consumer, and delivers them when one comes', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 10, overflow: 'drop-oldest' });
    for (const item of [1, 2, 3]) queue.publish(item);
    expect(queue.length).toBe(3);
    addConsumer('c', 5);
    expect(itemsOf(), 'delivered inside consume').toEqual([1, 2, 3]);
  });

  it('[4] never holds more than capacity items waiting', () => {
    for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
      const { queue } = world({ capacity: 4, overflow });
      for (let item = 1; item <= 10; item++) queue.publish(item);
      expect(queue.length, `${overflow}: 10 items published into a queue of capacity 4`).toBe(4);
      expect(queue.dropped.length, overflow).toBe(6);
    }
  });

  it('[4] counts only the items waiting against the capacity, not those delivered and not yet acked', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 2, overflow: 'drop-newest' });
    addConsumer('c', 3);
    const answers: boolean[] = [];
    for (let item = 1; item <= 6; item++) {
      const atConsumer = itemsOf().length;
      const waiting = queue.length;
      const accepted = queue.publish(item);
      answers.push(accepted);
      if (!accepted && waiting < 2) {
        throw new Error(
          `publish(${item}) was refused while ${waiting} ${waiting === 1 ? 'item waited' : 'items waited'} in a queue of capacity 2: the ${atConsumer} ${atConsumer === 1 ? 'item' : 'items'} at the consumer, delivered and not yet acked, do not count against the capacity (item 4)`,
        );
      }
    }
    expect(answers, 'items 1 to 3 go to the consumer, 4 and 5 wait, 6 finds the queue full').toEqual([true, true, true, true, true, false]);
    expect(queue.length).toBe(2);
    expect(queue.dropped).toEqual([6]);
  });

  it('[4] takes an item off the queue before its handler runs: a handler that reads length or publishes into a full queue finds it at the consumer, not waiting', () => {
    for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
      const queue = new queueing.BoundedQueue<number>({ capacity: 1, overflow });
      const seen: string[] = [];
      queue.consume(1, ({ item }) => {
        if (item !== 1) return;
        seen.push(`length ${queue.length}`);
        for (const next of [2, 3]) seen.push(`publish(${next}) ${queue.publish(next)}`);
      });
      queue.publish(1);
      const expected = overflow === 'drop-newest' ? ['length 0', 'publish(2) true', 'publish(3) false'] : ['length 0', 'publish(2) true', 'publish(3) true'];
      const state = `dropped [${queue.dropped.join(', ')}], ${queue.length} waiting`;
      expect(
        seen,
        `${overflow}, capacity 1, a consumer with prefetch 1 whose handler, given item 1, reads length and publishes 2 and 3: it saw ${seen.join(', ')} (${state}). Item 1 is delivered, at its consumer, from the moment its handler is called: take it off the queue and spend the credit before calling the handler, so that it does not count as waiting (length 0, and room for item 2) and is never dropped as well as delivered (item 4; hint 3)`,
      ).toEqual(expected);
      expect(queue.dropped, `${overflow}: ${state}; item 1 was delivered, so it is never dropped too, and one of 2 and 3 is dropped`).toEqual([overflow === 'drop-newest' ? 3 : 2]);
      expect(queue.length, `${overflow}: ${state}; the item kept waits for the consumer's credit`).toBe(1);
    }
  });

  it('[5] drop-newest: a full queue refuses the item being published and keeps what it holds', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 3, overflow: 'drop-newest' });
    const answers = [1, 2, 3, 4, 5].map((item) => queue.publish(item));
    expect(answers, 'publish answers false when it refuses the item').toEqual([true, true, true, false, false]);
    expect(queue.dropped).toEqual([4, 5]);
    addConsumer('c', 10);
    expect(itemsOf()).toEqual([1, 2, 3]);
  });

  it('[6] drop-oldest: a full queue drops the item that has waited longest and keeps the new one', () => {
    const { queue, addConsumer, itemsOf } = world({ capacity: 3, overflow: 'drop-oldest' });
    const answers = [1, 2, 3, 4, 5].map((item) => queue.publish(item));
    expect(answers, 'the published item is always kept').toEqual([true, true, true, true, true]);
    expect(queue.dropped, 'dropped oldest first').toEqual([1, 2]);
    addConsumer('c', 10);
    expect(itemsOf()).toEqual([3, 4, 5]);
  });

  it('[7] deals items round-robin over the consumers that have credit left', () => {
    const { queue, received, addConsumer } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('a', 2);
    addConsumer('b', 2);
    for (let item = 1; item <= 6; item++) queue.publish(item);
    expect(received.map((r) => `${r.consumer}${r.item}`), 'a and b take turns, two each').toEqual(['a1', 'b2', 'a3', 'b4']);
    received[2].ack();
    expect(received.map((r) => r.consumer).slice(4), 'only a has credit: item 5 goes to a').toEqual(['a']);
  });

  it('[7] starts each turn after the consumer served last, also when acks come in between', () => {
    const { queue, received, addConsumer } = world({ capacity: 10, overflow: 'drop-newest' });
    queue.publish(1);
    addConsumer('a', 1);
    addConsumer('b', 1);
    received[0].ack();
    queue.publish(2);
    queue.publish(3);
    expect(received.map((r) => `${r.consumer}${r.item}`), 'a was served last, so item 2 goes to b, and then 3 to a').toEqual(['a1', 'b2', 'a3']);
  });

  it('[7] starts the next turn after the consumer served last, also when one without credit was skipped', () => {
    const { queue, received, addConsumer } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('a', 1);
    addConsumer('b', 3);
    addConsumer('c', 3);
    for (let item = 1; item <= 6; item++) queue.publish(item);
    expect(
      received.map((r) => `${r.consumer}${r.item}`),
      'a is full after item 1, so item 4 goes to b; b was served last, so item 5 goes to c, not to b again (the turn moves to the consumer served, not one step past the one whose turn it was)',
    ).toEqual(['a1', 'b2', 'c3', 'b4', 'c5', 'b6']);
  });

  it('[7] gives a slow consumer no more than its prefetch while a fast one takes the rest', () => {
    const { clock, queue, addConsumer, itemsOf, mostUnacked } = world({ capacity: 100, overflow: 'drop-newest' });
    addConsumer('slow', 2, () => 100);
    addConsumer('fast', 2, () => 1);
    for (let item = 1; item <= 40; item++) queue.publish(item);
    clock.runUntilIdle({ maxEvents: 10_000 });
    expect(itemsOf('slow').length, 'the slow consumer is busy for 100 ms per item').toBeLessThanOrEqual(2);
    expect(itemsOf('fast').length).toBeGreaterThanOrEqual(38);
    expect(mostUnacked.get('slow')).toBeLessThanOrEqual(2);
  });

  it('[8] returns one credit per delivery, however often ack is called', () => {
    const { queue, received, addConsumer, itemsOf } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('c', 1);
    for (const item of [1, 2, 3]) queue.publish(item);
    received[0].ack();
    received[0].ack();
    expect(itemsOf(), 'the second ack of item 1 must not deliver item 3 while item 2 is not acked').toEqual([1, 2]);
  });

  it('[8] returns one credit per delivery also when two deliveries carry equal items', () => {
    const { queue, received, addConsumer, itemsOf } = world({ capacity: 10, overflow: 'drop-newest' });
    addConsumer('c', 2);
    for (const item of [7, 7, 9, 10]) queue.publish(item);
    expect(itemsOf(), 'a prefetch of 2: both 7s go out').toEqual([7, 7]);
    received[0].ack();
    received[0].ack();
    expect(itemsOf(), 'the first 7 acked twice returns one credit: 9 goes out, 10 waits').toEqual([7, 7, 9]);
    received[1].ack();
    expect(itemsOf(), 'the second 7 is a delivery of its own: its ack returns its own credit, and 10 goes out').toEqual([7, 7, 9, 10]);
  });

  it('[9] refuses a capacity or prefetch that is not a positive integer with a RangeError', () => {
    for (const capacity of [0, -1, 2.5]) {
      expect(() => new queueing.BoundedQueue({ capacity, overflow: 'drop-newest' }), `capacity ${capacity}`).toThrow(RangeError);
    }
    const queue = new queueing.BoundedQueue<number>({ capacity: 1, overflow: 'drop-newest' });
    for (const prefetch of [0, 1.5]) expect(() => queue.consume(prefetch, () => {}), `prefetch ${prefetch}`).toThrow(RangeError);
  });

  it.each(['drop-newest', 'drop-oldest'] as const)('[10] %s under bursts: each item delivered once or dropped, in order, with busy consumers (20 seeds)', (overflow) => {
    for (const seed of SEEDS) {
      const run = burstRun({ seed, overflow, capacity: 10, prefetch: 2, burst: 30, bursts: 10, everyMs: 200 });
      const sorted = [...run.delivered].sort((a, b) => a - b);
      expect(run.delivered, `seed ${seed}: delivered out of publish order`).toEqual(sorted);
      expect(new Set(run.delivered).size, `seed ${seed}: an item was delivered twice`).toBe(run.delivered.length);
      expect(run.dropped.filter((n) => run.delivered.includes(n)), `seed ${seed}: dropped and delivered`).toEqual([]);
      expect(run.delivered.length + run.dropped.length, `seed ${seed}: every item is delivered or dropped`).toBe(run.published);
    }
  });

  it('[11] property: random publishes, consumers and acks; after every step at most capacity wait, no delivery without credit, none twice or out of order, drops only from a full queue as its policy says, no credit left while items wait (fast-check, 200 runs)', async () => {
    await holds(opsRuns({ capacity: 4, prefetch: 3, ops: 30 }), (run) => playOps(run), { seed: 12, numRuns: 200, steps: opsSteps });
  });
});

canaries();
