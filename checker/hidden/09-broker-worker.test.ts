/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 09, an exactly-once-in-effect worker on RabbitMQ. They need a broker at
 * AMQP_URL; without one every check is skipped and the grader reports "not run: no broker at
 * AMQP_URL", never a pass.
 *
 * A "killed" worker is one whose process dies: from that instant its acks and nacks never reach
 * the broker, its database calls fail, and its connection closes, so the broker redelivers every
 * message it held unacked. Each worker is started from a freshly loaded copy of the module, as a
 * restarted process would be, so nothing kept in module memory survives a kill.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RabbitBroker, amqpUrl, isBrokerReachable, type BrokerConnection, type Delivery } from '../../toolkit/broker';
import type { EffectStore, Payment, RunningWorker } from '@submission/09-broker-worker/worker';

const brokerUp = await isBrokerReachable(amqpUrl());
const CHECK_TIMEOUT_MS = 20_000;

/** The database shared by every worker: balances, processed ids, and a log of every write. */
class Ledger {
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

const broker = new RabbitBroker(amqpUrl());
const opened: BrokerConnection[] = [];
const queues: string[] = [];
const workers: RunningWorker[] = [];

afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop().catch(() => {});
  const admin = await broker.connect();
  for (const queue of queues.splice(0)) await admin.deleteQueue(queue).catch(() => {});
  await admin.close();
  for (const connection of opened.splice(0)) await connection.close();
});

/** Waits until `condition()` holds, or fails saying what it waited for. */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A fresh queue holding `count` payments of 1 cent each to accounts a0..a9, with ids p-0.. */
async function queueOfPayments(count: number, options: { withIds?: boolean } = {}): Promise<string> {
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
async function startProcess(queue: string, ledger: Ledger, prefetch = 10) {
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
  const { startWorker } = await import('@submission/09-broker-worker/worker');
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
async function waitUntilSettled(ledger: Ledger, queue: string, count: number): Promise<void> {
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

const expectedBalances = (count: number) =>
  new Map(Array.from({ length: 10 }, (_, a) => [`a${a}`, Math.floor(count / 10) + (a < count % 10 ? 1 : 0)]));

describe.skipIf(!brokerUp)('exactly-once payments on RabbitMQ', () => {
  it('holds at most 10 messages at once when no prefetch is given', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(200);
    let dead = false;
    const connection = await broker.connect();
    opened.push(connection);
    vi.resetModules();
    const { startWorker } = await import('@submission/09-broker-worker/worker');
    workers.push(await startWorker(connection, { queue, store: ledger.handle(() => dead) }));
    await waitUntilSettled(ledger, queue, 200);
    dead = true;
    expect(ledger.maxInFlight, 'store calls in flight at once').toBeLessThanOrEqual(10);
  });

  it('stops taking messages after stop()', { timeout: CHECK_TIMEOUT_MS }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(10);
    const { worker } = await startProcess(queue, ledger);
    await waitUntilSettled(ledger, queue, 10);
    await worker.stop();
    const producer = await broker.connect();
    opened.push(producer);
    await producer.send(queue, { account: 'late', amount: 1 }, { messageId: 'late-1' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ledger.processed.has('late-1'), 'a stopped worker processed a message').toBe(false);
    expect(await producer.messageCount(queue)).toBe(1);
  });

  it('survives three workers dying one after another across 2,000 payments, each payment applied exactly once', { timeout: 60_000 }, async () => {
    const ledger = new Ledger();
    const queue = await queueOfPayments(2000);
    for (const [killAt, stage] of [[300, 'after-commit'], [700, 'before-commit'], [1200, 'after-commit']] as const) {
      const doomed = await startProcess(queue, ledger, 25);
      let seen = 0;
      const target = ledger.processed.size + killAt / 3;
      ledger.onApply = (s) => {
        if (s === stage && ledger.processed.size >= target && ++seen === 1) doomed.kill();
      };
      await waitFor(() => seen >= 1, `worker to reach payment ${target}`, 30_000);
      ledger.onApply = () => {};
    }
    await startProcess(queue, ledger, 25);
    await waitUntilSettled(ledger, queue, 2000);
    expect(ledger.duplicates, 'payments applied twice').toEqual([]);
    expect(ledger.balances).toEqual(expectedBalances(2000));
  });
});

if (!brokerUp) {
  describe('without a broker', () => {
    it.skip(`not run: no broker at AMQP_URL (${amqpUrl().replace(/\/\/[^@/]*@/, '//')}); start RabbitMQ to grade this exercise`, () => {});
  });
}
