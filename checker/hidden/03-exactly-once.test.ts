/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 03, exactly-once processing. Most checks feed your IdempotentConsumer by
 * hand; the last one runs it behind your exercise-02 ReliableSender and AckingReceiver on netsim,
 * over a network that loses, duplicates and reorders, for 20 seeds.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Network, uniform } from '../../toolkit/netsim';

type ConsumerModule = typeof import('@submission/03-exactly-once/idempotent-consumer');
let IdempotentConsumer: ConsumerModule['IdempotentConsumer'];

beforeEach(async () => {
  ({ IdempotentConsumer } = await import('@submission/03-exactly-once/idempotent-consumer'));
});

const SEEDS = Array.from({ length: 20 }, (_, i) => 100 + i);
/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 2000 + i);

/** A consumer whose effect is appending the payload to `applied`. */
function recording(windowSize?: number) {
  const applied: unknown[] = [];
  const consumer = new IdempotentConsumer<unknown>((payload) => void applied.push(payload), windowSize === undefined ? {} : { windowSize });
  return { consumer, applied };
}

describe('IdempotentConsumer', () => {
  it('passes the payload and the id to the effect', () => {
    const calls: unknown[][] = [];
    const consumer = new IdempotentConsumer<{ amount: number }>((payload, id) => void calls.push([payload, id]));
    consumer.handle('m7', { amount: 3 });
    expect(calls).toEqual([[{ amount: 3 }, 'm7']]);
  });

  it('forgets the oldest id first: a copy of it after windowSize newer messages is applied again', () => {
    const { consumer, applied } = recording(3);
    for (const id of ['a', 'b', 'c', 'd']) consumer.handle(id, id);
    expect(consumer.handle('d', 'd'), 'the newest id was forgotten').toBe(false);
    expect(consumer.handle('b', 'b'), 'an id inside the window was forgotten').toBe(false);
    expect(consumer.handle('a', 'a'), 'the oldest id should have left the window of 3').toBe(true);
    expect(applied).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('remembers 1000 ids by default', () => {
    const { consumer } = recording();
    for (let i = 0; i < 1000; i++) consumer.handle(`m${i}`, i);
    expect(consumer.handle('m0', 0)).toBe(false);
    consumer.handle('m1000', 1000);
    expect(consumer.remembered).toBe(1000);
    expect(consumer.handle('m0', 0), 'm0 should have left the window of 1000').toBe(true);
  });

  it('applies every message exactly once when nearly every message is duplicated (40 more seeds)', async () => {
    const { ReliableSender } = await import('@submission/02-at-least-once/sender');
    const { AckingReceiver } = await import('@submission/02-at-least-once/receiver');
    for (const seed of MORE_SEEDS) {
      const net = new Network({ seed, faults: { loss: 0.4, duplicate: 0.8, delay: uniform(1, 80) } });
      const applied = new Map<string, number>();
      const consumer = new IdempotentConsumer<string>((payload) => applied.set(payload, (applied.get(payload) ?? 0) + 1), {
        windowSize: 50,
      });
      const sender = new ReliableSender(net.addNode('sender'), { retransmitMs: 60, maxAttempts: 80 });
      new AckingReceiver(net.addNode('receiver'), (delivery) => void consumer.handle(delivery.id, delivery.payload as string));
      const payloads = Array.from({ length: 30 }, (_, i) => `transfer-${i}`);
      for (const p of payloads) void sender.send('receiver', p).catch(() => {});
      await net.runUntilIdleAsync({ maxEvents: 300_000 });
      const wrong = payloads.filter((p) => applied.get(p) !== 1).map((p) => `${p} applied ${applied.get(p) ?? 0} times`);
      expect(wrong, `seed ${seed}`).toEqual([]);
    }
  });
});
