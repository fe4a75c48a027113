import { randomUUID } from 'node:crypto';
import type { MessageBroker } from './types';

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  /** How many messages to push through. */
  messages: number;
  /** Publisher confirms on the producer's connection. */
  confirms: boolean;
  /** The consumer's prefetch. */
  prefetch: number;
  /**
   * Wait for each send to resolve (its confirm, with confirms on) before the next, instead of
   * keeping every message in flight and waiting for all at the end. Default false.
   */
  oneAtATime?: boolean;
}

/**
 * Sends `messages` messages through a fresh queue while one consumer acks them, and returns the
 * end-to-end rate in messages per second. The queue is deleted afterwards.
 */
export async function measureThroughput(broker: MessageBroker, options: ThroughputOptions): Promise<number> {
  const producer = await broker.connect({ confirms: options.confirms });
  const consumer = await broker.connect();
  const queue = await producer.assertQueue(`workbook-measure-${randomUUID()}`);
  try {
    let received = 0;
    const started = performance.now();
    const allReceived = new Promise<void>((resolve) => {
      void consumer.consume(queue, (delivery) => {
        delivery.ack();
        if (++received === options.messages) resolve();
      }, { prefetch: options.prefetch });
    });
    const sends: Promise<void>[] = [];
    for (let i = 0; i < options.messages; i++) {
      const sent = producer.send(queue, { n: i });
      if (options.oneAtATime) await sent;
      else sends.push(sent);
    }
    await Promise.all(sends);
    await allReceived;
    return options.messages / ((performance.now() - started) / 1000);
  } finally {
    await producer.deleteQueue(queue);
    await producer.close();
    await consumer.close();
  }
}
