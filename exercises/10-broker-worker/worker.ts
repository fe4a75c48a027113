/**
 * Exercise 10: a worker on a real broker that applies every payment exactly once in effect,
 * although the broker delivers at least once and workers die mid-stream.
 * Read README.md first. Run `npm run grade -- 10` to check your work (it needs RabbitMQ).
 * @module
 */
import type { BrokerConnection } from '../../toolkit/broker';

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
  throw new Error('TODO: startWorker (exercise 10)');
}
