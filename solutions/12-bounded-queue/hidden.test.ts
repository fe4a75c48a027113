/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/12-bounded-queue/checks.test.ts) of exercise 12, a bounded queue with credit-based delivery.
 */
import { describe, expect, it } from 'vitest';
import { burstRun, opsRuns, opsSteps, world } from '../../exercises/12-bounded-queue/harness';
import { playOpsByTheRules } from './hidden-harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe('BoundedQueue', () => {
  it('[4] drop-oldest: counts only the items waiting against the capacity, not those at consumers', () => {
    const { queue, addConsumer, received } = world({ capacity: 1, overflow: 'drop-oldest' });
    addConsumer('a', 2);
    addConsumer('b', 1);
    for (let item = 1; item <= 5; item++) queue.publish(item);
    expect(received.map((r) => r.item), 'a and b take 1, 2, 3 between them; 4 waits until 5 pushes it out').toEqual([1, 2, 3]);
    expect(queue.dropped, 'only 4, the one item waiting, was dropped').toEqual([4]);
    expect(queue.length).toBe(1);
    received[0].ack();
    expect(received.map((r) => r.item)).toEqual([1, 2, 3, 5]);
  });

  it('[11] property: random publishes, consumers and acks; every step does what the rules say (fast-check, 1000 longer runs)', async () => {
    await holds(opsRuns({ capacity: 6, prefetch: 4, ops: 60 }), playOpsByTheRules, { seed: 1012, numRuns: 1000, steps: opsSteps });
  });

  it.each(['drop-newest', 'drop-oldest'] as const)('[10] %s under bursts with a capacity of 1 and a prefetch of 1 (40 more seeds)', (overflow) => {
    for (const seed of MORE_SEEDS) {
      const run = burstRun({ seed, overflow, capacity: 1, prefetch: 1, burst: 50, bursts: 8, everyMs: 150 });
      expect(run.delivered, `seed ${seed}: delivered out of publish order`).toEqual([...run.delivered].sort((a, b) => a - b));
      expect(new Set(run.delivered).size, `seed ${seed}: an item was delivered twice`).toBe(run.delivered.length);
      expect(run.delivered.length + run.dropped.length, `seed ${seed}: every item is delivered or dropped`).toBe(run.published);
    }
  });

  it.each(['drop-newest', 'drop-oldest'] as const)('[10] %s under bursts that arrive faster than the consumers drain them (40 more seeds)', (overflow) => {
    for (const seed of MORE_SEEDS) {
      const run = burstRun({ seed, overflow, capacity: 25, prefetch: 4, burst: 100, bursts: 6, everyMs: 20 });
      expect(run.delivered, `seed ${seed}: delivered out of publish order`).toEqual([...run.delivered].sort((a, b) => a - b));
      expect(new Set(run.delivered).size, `seed ${seed}: an item was delivered twice`).toBe(run.delivered.length);
      expect(run.dropped.filter((n) => run.delivered.includes(n)), `seed ${seed}: dropped and delivered`).toEqual([]);
      expect(run.delivered.length + run.dropped.length, `seed ${seed}: every item is delivered or dropped`).toBe(run.published);
    }
  });
});

canaries();
