/**
 * Exercise 10: a worker on a real broker that applies every payment exactly once in effect,
 * although the broker delivers at least once, workers die mid-stream and a worker that lost the
 * broker may still be working on a payment it held.
 * Read README.md first. Run `npm run grade -- 10` to check your work (it needs RabbitMQ).
 * @module
 */
import type { BrokerConnection } from '../../../../toolkit/broker';

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
  const { queue, deadLetterQueue, store } = options;
  const deliveryLimit = options.deliveryLimit || 5;
  const prefetch = options.prefetch ?? 10;

  await connection.assertQueue(deadLetterQueue);
  await connection.assertQueue(queue, { deadLetterQueue, deliveryLimit });

  const consumer = await connection.consume<Payment>(
    queue,
    async (delivery) => {
      const messageId = delivery.properties.messageId;
      if (!messageId) {
        // No id: no copy could ever be recognised, so no retry is safe.
        delivery.nack({ requeue: false });
        return;
      }
      try {
        await store.transaction(async (tx) => {
          const fresh = await tx.recordProcessed(messageId);
          if (fresh) await tx.addToBalance(delivery.body.account, delivery.body.amount);
        });
        delivery.ack();
      } catch {
        // The transaction changed nothing: let the broker try again (it counts the failure).
        delivery.nack({ requeue: true });
      }
    },
    { prefetch },
  );

  return {
    async stop() {
      await consumer.cancel();
    },
  };
}
