/**
 * Exercise 10, reference solution: at-least-once delivery from the broker, made exactly-once in
 * effect by one transaction that records the message id (unique key, insert-or-nothing) and pays.
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
 * The worker's database, shared by every worker process: account balances, and the ids of the
 * messages whose payment was applied, in a table whose primary key is the id. Every call is a
 * round trip to the database and may fail (reject); a failed call changed nothing.
 */
export interface EffectStore {
  /**
   * Whether a committed transaction recorded `messageId`. Only a read: by the time the answer
   * arrives, another worker may be recording the same id.
   */
  isProcessed(messageId: string): Promise<boolean>;
  /**
   * Runs `work` in one transaction: what it did through `tx` commits when `work` resolves, all of
   * it or none (the commit may fail too), and nothing does when `work` throws.
   * @returns what `work` returned.
   */
  transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T>;
}

/** What a transaction of the {@link EffectStore} can do. */
export interface LedgerTransaction {
  /**
   * `INSERT INTO processed (message_id) VALUES ($1) ON CONFLICT (message_id) DO NOTHING`.
   * While another transaction that recorded the same id is still open, waits for it to end, as
   * PostgreSQL does.
   * @returns true when this transaction recorded the id; false when it was recorded already.
   */
  recordProcessed(messageId: string): Promise<boolean>;
  /** Adds `amount` cents to the balance of `account`. */
  addToBalance(account: string, amount: number): Promise<void>;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The queue to consume (declare it: it may not exist yet). */
  queue: string;
  /** Where the broker moves payments that cannot be applied (declare it too). */
  deadLetterQueue: string;
  /** Failed deliveries a payment may have before the broker dead-letters it. Default 5. */
  deliveryLimit?: number;
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
  const { queue, deadLetterQueue, deliveryLimit = 5, store, prefetch = 10 } = options;
  await connection.assertQueue(deadLetterQueue);
  // The broker counts each payment's failed deliveries (a nack with requeue, a worker that died
  // holding it) and dead-letters it past the limit: a payment that always fails cannot loop.
  await connection.assertQueue(queue, { deadLetterQueue, deliveryLimit });

  async function handle(delivery: Delivery<Payment>): Promise<void> {
    const messageId = delivery.properties.messageId;
    if (!messageId) {
      // Without an id a copy cannot be recognised, now or ever: dead-letter it at once.
      delivery.nack({ requeue: false });
      return;
    }
    try {
      // The id's unique key decides, inside the transaction that pays, which copy pays: a copy
      // held by another worker at the same moment waits for that worker's transaction to end.
      await store.transaction(async (tx) => {
        if (await tx.recordProcessed(messageId)) await tx.addToBalance(delivery.body.account, delivery.body.amount);
      });
      // Ack only once the effect is committed. Dying before this line means a redelivery, which
      // the unique key turns into a no-op.
      delivery.ack();
    } catch {
      delivery.nack({ requeue: true });
    }
  }

  const consumer = await connection.consume<Payment>(queue, handle, { prefetch });
  return { stop: () => consumer.cancel() };
}
