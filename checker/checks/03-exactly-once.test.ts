/**
 * Checks of exercise 03, exactly-once processing. Most checks feed your IdempotentConsumer by
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

/** A consumer whose effect is appending the payload to `applied`. */
function recording(windowSize?: number) {
  const applied: unknown[] = [];
  const consumer = new IdempotentConsumer<unknown>((payload) => void applied.push(payload), windowSize === undefined ? {} : { windowSize });
  return { consumer, applied };
}

describe('IdempotentConsumer', () => {
  it('applies a new message and returns true', () => {
    const { consumer, applied } = recording();
    expect(consumer.handle('m1', 'pay 10 €')).toBe(true);
    expect(applied).toEqual(['pay 10 €']);
  });

  it('ignores a duplicate: returns false and does not apply it again', () => {
    const { consumer, applied } = recording();
    consumer.handle('m1', 'pay 10 €');
    expect(consumer.handle('m1', 'pay 10 €')).toBe(false);
    expect(consumer.handle('m1', 'pay 10 €')).toBe(false);
    expect(applied).toEqual(['pay 10 €']);
  });

  it('applies each distinct id once, whatever the order and number of copies', () => {
    const { consumer, applied } = recording();
    for (const id of ['a', 'b', 'a', 'c', 'b', 'b', 'd', 'a']) consumer.handle(id, id);
    expect(applied).toEqual(['a', 'b', 'c', 'd']);
  });

  it('still ignores a copy of a recent message after many other messages', () => {
    const { consumer, applied } = recording(100);
    for (let i = 0; i < 100; i++) consumer.handle(`m${i}`, i);
    expect(consumer.handle('m50', 50)).toBe(false);
    expect(consumer.handle('m99', 99)).toBe(false);
    expect(applied).toHaveLength(100);
  });

  it('remembers at most windowSize ids, however many messages pass', () => {
    const { consumer } = recording(50);
    for (let i = 0; i < 10_000; i++) {
      consumer.handle(`m${i}`, i);
      if (consumer.remembered > 50) throw new Error(`remembers ${consumer.remembered} ids after ${i + 1} messages, window is 50`);
    }
    expect(consumer.remembered).toBe(50);
  });

  it('does not remember a message whose effect threw, so its redelivery is applied', () => {
    let fail = true;
    const applied: string[] = [];
    const consumer = new IdempotentConsumer<string>((payload) => {
      if (fail) throw new Error('database down');
      applied.push(payload);
    });
    expect(() => consumer.handle('m1', 'pay')).toThrow('database down');
    fail = false;
    expect(consumer.handle('m1', 'pay')).toBe(true);
    expect(applied).toEqual(['pay']);
  });
});

describe('IdempotentConsumer behind the ReliableSender and AckingReceiver of exercise 02', () => {
  it('applies every message exactly once over a lossy, duplicating, reordering network (20 seeds)', async () => {
    const { ReliableSender } = await import('@submission/02-at-least-once/sender');
    const { AckingReceiver } = await import('@submission/02-at-least-once/receiver');
    for (const seed of SEEDS) {
      const net = new Network({ seed, faults: { loss: 0.25, duplicate: 0.3, delay: uniform(1, 40) } });
      const applied = new Map<string, number>();
      let deliveries = 0;
      const consumer = new IdempotentConsumer<string>((payload) => applied.set(payload, (applied.get(payload) ?? 0) + 1), {
        windowSize: 100,
      });
      const sender = new ReliableSender(net.addNode('sender'), { retransmitMs: 60, maxAttempts: 40 });
      new AckingReceiver(net.addNode('receiver'), (delivery) => {
        deliveries++;
        consumer.handle(delivery.id, delivery.payload as string);
      });
      const payloads = Array.from({ length: 40 }, (_, i) => `transfer-${i}`);
      let acknowledged = 0;
      for (const p of payloads) void sender.send('receiver', p).then(() => acknowledged++, () => {});
      await net.runUntilIdleAsync({ maxEvents: 200_000 });
      expect(acknowledged, `seed ${seed}: sends of exercise 02's sender that were acknowledged`).toBe(payloads.length);
      expect(deliveries, `seed ${seed}: the network should have delivered duplicates`).toBeGreaterThan(payloads.length);
      const wrong = payloads.filter((p) => applied.get(p) !== 1).map((p) => `${p} applied ${applied.get(p) ?? 0} times`);
      expect(wrong, `seed ${seed}`).toEqual([]);
    }
  });
});
