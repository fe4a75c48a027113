/**
 * Exercise 10, reference solution: at-least-once delivery from the broker, made exactly-once in
 * effect by the store's record of processed message ids.
 * @module
 */
import type { BrokerConnection, Delivery } from '../../toolkit/broker';

/** The body of every message on the payments queue. */
export interface Payment {
  account: string;
  /** Cents to add to the account's balance. */
  amount: number;
}

/**
 * The worker's database: account balances and the ids of the messages already applied.
 * Every method is a round trip to the database and may fail (reject); a failed call changed nothing.
 */
export interface EffectStore {
  /** Whether the payment of message `messageId` has been applied. */
  isProcessed(messageId: string): Promise<boolean>;
  /**
   * In one transaction: adds the payment to its account and records `messageId` as processed.
   * Both happen or neither does. It does NOT check for duplicates: calling it twice with the same
   * id applies the payment twice.
   */
  applyPayment(messageId: string, payment: Payment): Promise<void>;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The queue to consume (declare it: it may not exist yet). */
  queue: string;
  store: EffectStore;
  /** The most unacknowledged messages the worker holds at once. Default 10. */
  prefetch?: number;
}

/** A running worker. */
export interface RunningWorker {
  /** Stops taking new messages. */
  stop(): Promise<void>;
}

/**
 * Consumes `options.queue` on `connection` and applies each payment to the store exactly once
 * in effect: every message's payment is applied, and none twice, however often the broker
 * delivers it and whenever a worker dies.
 */
export async function startWorker(connection: BrokerConnection, options: WorkerOptions): Promise<RunningWorker> {
  const { queue, store, prefetch = 10 } = options;
  await connection.assertQueue(queue);

  async function handle(delivery: Delivery<Payment>): Promise<void> {
    const messageId = delivery.properties.messageId;
    if (!messageId) {
      // Without an id a duplicate cannot be recognised: park it rather than risk paying twice.
      delivery.nack({ requeue: false });
      return;
    }
    try {
      // The store, not this process, remembers what was applied: it outlives a crash.
      if (!(await store.isProcessed(messageId))) {
        await store.applyPayment(messageId, delivery.body);
      }
      // Ack only once the effect is stored. Dying before this line means a redelivery, which
      // the check above turns into a no-op.
      delivery.ack();
    } catch {
      delivery.nack({ requeue: true });
    }
  }

  const consumer = await connection.consume<Payment>(queue, handle, { prefetch });
  return { stop: () => consumer.cancel() };
}
