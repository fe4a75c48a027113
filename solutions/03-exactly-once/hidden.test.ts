/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/03-exactly-once/checks.test.ts) of exercise 03, exactly-once processing. Most checks feed your IdempotentConsumer by
 * hand; the last one runs it behind your exercise-02 ReliableSender and AckingReceiver on netsim,
 * over a network that loses, duplicates and reorders, for 20 seeds.
 */
import { describe, expect, it } from 'vitest';
import { uniform } from '../../toolkit/netsim';
import { IdempotentConsumer, recording, runPipeline, windowRefusedProperty } from '../../exercises/03-exactly-once/harness';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 2000 + i);

describe('IdempotentConsumer', () => {
  it('[1] passes the payload and the id to the effect', () => {
    const calls: unknown[][] = [];
    const consumer = new IdempotentConsumer<{ amount: number }>((payload, id) => void calls.push([payload, id]));
    consumer.handle('m7', { amount: 3 });
    expect(calls).toEqual([[{ amount: 3 }, 'm7']]);
  });

  it('[5] forgets the oldest id first: a copy of it after windowSize newer messages is applied again', () => {
    const { consumer, applied } = recording(3);
    for (const id of ['a', 'b', 'c', 'd']) consumer.handle(id, id);
    expect(consumer.handle('d', 'd'), 'the newest id was forgotten').toBe(false);
    expect(consumer.handle('b', 'b'), 'an id inside the window was forgotten').toBe(false);
    expect(consumer.handle('a', 'a'), 'the oldest id should have left the window of 3').toBe(true);
    expect(applied).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('[4] remembers 1000 ids by default', () => {
    const { consumer } = recording();
    for (let i = 0; i < 1000; i++) consumer.handle(`m${i}`, i);
    expect(consumer.handle('m0', 0)).toBe(false);
    consumer.handle('m1000', 1000);
    expect(consumer.remembered).toBe(1000);
    expect(consumer.handle('m0', 0), 'm0 should have left the window of 1000').toBe(true);
  });

  it('[4] with a window of 1, remembers the last id only', () => {
    const { consumer, applied } = recording(1);
    consumer.handle('a', 'a');
    expect(consumer.remembered, 'ids remembered with a window of 1, after one message').toBe(1);
    expect(consumer.handle('a', 'a'), 'a copy right after its original, window of 1').toBe(false);
    consumer.handle('b', 'b');
    expect(consumer.remembered, 'ids remembered with a window of 1, after two messages').toBe(1);
    expect(consumer.handle('b', 'b'), 'a copy of the last id, window of 1').toBe(false);
    expect(consumer.handle('a', 'a'), 'a copy of an id one message older, window of 1').toBe(true);
    expect(applied).toEqual(['a', 'b', 'a']);
  });

  it('[6] applies every message exactly once when nearly every message is duplicated (40 more seeds)', async () => {
    for (const seed of MORE_SEEDS) {
      const faults = { loss: 0.4, duplicate: 0.8, delay: uniform(1, 80) };
      const run = await runPipeline({ seed, faults, retransmitMs: 60, maxAttempts: 80, windowSize: 50, messages: 30, maxEvents: 300_000 });
      expect(run.wrong, `seed ${seed}`).toEqual([]);
    }
  });

  it('[4] refuses every windowSize below 1, fractions such as 0.5 too (property, 1000 more cases)', async () => {
    await windowRefusedProperty({ seed: 3040, runs: 1000 });
  });
});

canaries();
