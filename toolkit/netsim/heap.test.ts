import { describe, expect, it } from 'vitest';
import { EventQueue } from './heap';
import { Random } from './random';

/** Pops everything, as [time, lane, arg] triples. */
function drain(queue: EventQueue): [number, number, number][] {
  const out: [number, number, number][] = [];
  while (queue.size > 0) {
    out.push([queue.firstTime, queue.firstLane, queue.firstArg]);
    queue.pop();
  }
  return out;
}

describe('EventQueue', () => {
  it('pops in time order, equal times in push order', () => {
    const queue = new EventQueue();
    queue.push(30, 1, 1);
    queue.push(10, 2, 2);
    queue.push(20, 1, 3);
    queue.push(10, 0, 4);
    queue.push(20, 3, 5);
    expect(drain(queue)).toEqual([
      [10, 2, 2],
      [10, 0, 4],
      [20, 1, 3],
      [20, 3, 5],
      [30, 1, 1],
    ]);
  });

  it('keeps time order, ties in push order, over 50,000 events pushed and popped in a random mix', () => {
    const random = new Random(11);
    const queue = new EventQueue();
    const popped: number[] = [];
    for (let arg = 0; arg < 50_000; arg++) {
      // Whole times repeat a lot, so the push-order tie-break is exercised.
      queue.push(Math.floor(random.uniform(0, 500)), 1, arg);
      if (random.chance(0.3)) {
        popped.push(queue.firstArg);
        queue.pop();
      }
    }
    expect(queue.size).toBe(50_000 - popped.length);
    // Everything left comes out sorted by time, ties by push order (= arg).
    const rest = drain(queue);
    for (let i = 1; i < rest.length; i++) {
      const [t0, , a0] = rest[i - 1];
      const [t1, , a1] = rest[i];
      expect(t0 < t1 || (t0 === t1 && a0 < a1)).toBe(true);
    }
    expect(new Set([...popped, ...rest.map(([, , arg]) => arg)]).size).toBe(50_000);
  });

  it('keeps large args and lanes exactly', () => {
    const queue = new EventQueue();
    queue.push(1.5, 4_000_000_000, 2 ** 40 + 1);
    expect([queue.firstTime, queue.firstLane, queue.firstArg]).toEqual([1.5, 4_000_000_000, 2 ** 40 + 1]);
  });
});
