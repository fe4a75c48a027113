/**
 * What the public and hidden checks of exercise 10 share: a broker connection, a ledger standing in
 * for the worker's database, and workers that can be killed as a process dies. See the check files.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, vi } from 'vitest';
import { RabbitBroker, amqpUrl, isBrokerReachable, type BrokerConnection, type Delivery } from '../../toolkit/broker';
import type { EffectStore, Payment, RunningWorker } from '@submission/10-broker-worker/worker';

export const brokerUp = await isBrokerReachable(amqpUrl());

/**
 * The title of the checks' suite. Without a broker the suite is skipped, and its title tells the
 * grader why: it reports the exercise as "not run", never as passed.
 */
export const SUITE = brokerUp
  ? 'exactly-once payments on RabbitMQ'
  : `not run: no broker at AMQP_URL (${amqpUrl().replace(/\/\/[^@/]*@/, '//')}); start RabbitMQ to grade this exercise`;
export const CHECK_TIMEOUT_MS = 20_000;

/** The database shared by every worker: balances, processed ids, and a log of every write. */
export class Ledger {
  readonly balances = new Map<string, number>();
  readonly processed = new Set<string>();
  /** How many times each message id's payment was applied. */
  readonly applied = new Map<string, number>();
  /** Calls into the store under way right now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Called inside applyPayment, before (`'before-commit'`) and after (`'after-commit'`) the write. */
  onApply: (stage: 'before-commit' | 'after-commit', messageId: string) => void = () => {};
  /** Makes the first applyPayment of these ids fail, as a database hiccup would. */
  readonly failOnce = new Set<string>();

  /** A connection to this database for one worker process; `isDead()` says whether it died. */
  handle(isDead: () => boolean): EffectStore {
    const roundTrip = async <T>(work: () => T): Promise<T> => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        if (isDead()) throw new Error('the worker process is dead');
        return work();
      } finally {
        this.inFlight--;
      }
    };
    return {
      isProcessed: (messageId) => roundTrip(() => this.processed.has(messageId)),
      applyPayment: (messageId, payment) =>
        roundTrip(() => {
          this.onApply('before-commit', messageId);
          if (isDead()) throw new Error('the worker process died mid-transaction');
          if (this.failOnce.delete(messageId)) throw new Error('database hiccup: transaction rolled back');
          this.balances.set(payment.account, (this.balances.get(payment.account) ?? 0) + payment.amount);
          this.processed.add(messageId);
          this.applied.set(messageId, (this.applied.get(messageId) ?? 0) + 1);
          this.onApply('after-commit', messageId);
        }),
    };
  }

  /** Ids whose payment was applied more than once. */
  get duplicates(): string[] {
    return [...this.applied].filter(([, times]) => times > 1).map(([id]) => id);
  }
}

export const broker = new RabbitBroker(amqpUrl());
export const opened: BrokerConnection[] = [];
export const queues: string[] = [];
export const workers: RunningWorker[] = [];

/** Registers the clean-up after each check: stop workers, delete queues, close connections. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop().catch(() => {});
  const admin = await broker.connect();
  for (const queue of queues.splice(0)) await admin.deleteQueue(queue).catch(() => {});
  await admin.close();
  for (const connection of opened.splice(0)) await connection.close();
  });
}

/** Waits until `condition()` holds, or fails saying what it waited for. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A fresh queue holding `count` payments of 1 cent each to accounts a0..a9, with ids p-0.. */
export async function queueOfPayments(count: number, options: { withIds?: boolean } = {}): Promise<string> {
  const producer = await broker.connect();
  opened.push(producer);
  const queue = await producer.assertQueue(`exercise09-${randomUUID()}`);
  queues.push(queue);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const payment: Payment = { account: `a${i % 10}`, amount: 1 };
    sends.push(producer.send(queue, payment, options.withIds === false ? {} : { messageId: `p-${i}` }));
  }
  await Promise.all(sends);
  return queue;
}

/** Starts a worker as a new process would: a fresh copy of the module, its own connection. */
export async function startProcess(queue: string, ledger: Ledger, prefetch = 10) {
  let dead = false;
  const connection = await broker.connect();
  opened.push(connection);
  // The worker sees the broker through this wrapper, so a kill silences it at once.
  const wrapped: BrokerConnection = {
    ...connection,
    assertQueue: (...args) => connection.assertQueue(...args),
    assertFanout: (...args) => connection.assertFanout(...args),
    bindQueue: (...args) => connection.bindQueue(...args),
    send: (...args) => connection.send(...args),
    publish: (...args) => connection.publish(...args),
    messageCount: (...args) => connection.messageCount(...args),
    deleteQueue: (...args) => connection.deleteQueue(...args),
    close: () => connection.close(),
    consume: (name, handler, options) =>
      connection.consume(
        name,
        (delivery: Delivery) => {
          if (dead) return;
          return handler({
            body: delivery.body,
            properties: delivery.properties,
            redelivered: delivery.redelivered,
            queue: delivery.queue,
            ack: () => void (dead || delivery.ack()),
            nack: (opts) => void (dead || delivery.nack(opts)),
          } as Delivery<never>);
        },
        options,
      ),
  };
  vi.resetModules();
  const { startWorker } = await import('@submission/10-broker-worker/worker');
  const worker = await startWorker(wrapped, { queue, store: ledger.handle(() => dead), prefetch });
  workers.push(worker);
  return {
    worker,
    kill() {
      dead = true;
      void connection.close();
    },
  };
}

/**
 * Waits until the queue is empty and the ledger has been quiet for a moment (nothing written, no
 * call in flight), then fails naming the payments that were never applied. A lost payment thus
 * fails fast instead of waiting for a time-out.
 */
export async function waitUntilSettled(ledger: Ledger, queue: string, count: number): Promise<void> {
  const admin = await broker.connect();
  opened.push(admin);
  const QUIET_MS = 300;
  let lastSize = -1;
  let quietSince = Date.now();
  await waitFor(async () => {
    if (ledger.processed.size !== lastSize || ledger.inFlight > 0) {
      lastSize = ledger.processed.size;
      quietSince = Date.now();
      return false;
    }
    const drained = (await admin.messageCount(queue)) === 0;
    return drained && (ledger.processed.size >= count || Date.now() - quietSince > QUIET_MS);
  }, `the queue to drain (${ledger.processed.size} of ${count} payments applied; are messages acked?)`);
  const missing = Array.from({ length: count }, (_, i) => `p-${i}`).filter((id) => !ledger.processed.has(id));
  expect(missing.slice(0, 10), `${missing.length} payments were never applied, e.g.`).toEqual([]);
}

export const expectedBalances = (count: number) =>
  new Map(Array.from({ length: 10 }, (_, a) => [`a${a}`, Math.floor(count / 10) + (a < count % 10 ? 1 : 0)]));
