/**
 * What the public and hidden checks of exercise 10 share: a broker connection, a ledger standing in
 * for the workers' database (transactions, a unique key on the processed ids), and worker processes
 * that can die, or lose only their broker connection and live on as zombies. See the check files.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, vi } from 'vitest';
import { RabbitBroker, amqpUrl, isBrokerReachable, type BrokerConnection, type Delivery } from '../../toolkit/broker';
import type { EffectStore, LedgerTransaction, Payment, RunningWorker, WorkerOptions } from '@submission/10-broker-worker/worker';

export const brokerUp = await isBrokerReachable(amqpUrl());

/**
 * The title of the checks' suite. Without a broker the suite is skipped, and its title tells the
 * grader why: it reports the exercise as "not run", never as passed.
 */
export const SUITE = brokerUp
  ? 'exactly-once payments on RabbitMQ'
  : `not run: no broker at AMQP_URL (${amqpUrl().replace(/\/\/[^@/]*@/, '//')}); start RabbitMQ to grade this exercise`;
export const CHECK_TIMEOUT_MS = 20_000;

/** What the README promises when an option is left out. */
export const DEFAULT_PREFETCH = 10;
export const DEFAULT_DELIVERY_LIMIT = 5;

/**
 * One worker process's connection to the database. It fails once the process is dead, and its
 * replies can be held back (a slow database, a stalled network) while its statements still run.
 */
export class DbConnection {
  dead = false;
  /** Statements sent so far. */
  calls = 0;
  /** Message ids this connection asked about (`isProcessed`, `recordProcessed`). */
  readonly asked = new Set<string>();
  private held: { until: Promise<void>; release: () => void } | undefined;

  constructor(holdReplies: boolean) {
    if (holdReplies) this.holdReplies();
  }

  /** From now on, replies wait until {@link releaseReplies}. */
  holdReplies(): void {
    let release = () => {};
    const until = new Promise<void>((resolve) => (release = resolve));
    this.held = { until, release };
  }

  releaseReplies(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Resolves when a reply may go back: at once, or when replies are released. */
  replyMayLeave(): Promise<void> {
    return this.held?.until ?? Promise.resolve();
  }
}

/** A transaction in progress: what it wrote, visible to nobody else until it commits. */
interface OpenTransaction {
  recorded: Set<string>;
  /** Ids it asked to record, recorded or not. */
  asked: Set<string>;
  credits: [account: string, amount: number][];
  ended: boolean;
  /** Resolves when it has committed or rolled back. */
  end: Promise<void>;
  finish: () => void;
}

/** The database shared by every worker process: balances, the processed ids (a unique key), a log. */
class Ledger {
  /** Committed balances: account → cents. */
  readonly balances = new Map<string, number>();
  /** Committed processed ids: the table whose primary key is the message id. */
  readonly processed = new Set<string>();
  /** Ids recorded by a transaction still open → that transaction's end (the row lock). */
  private readonly locked = new Map<string, Promise<void>>();
  /** Transactions committed so far: progress, as seen from outside. */
  commits = 0;
  /** Statements under way right now. */
  inFlight = 0;
  /** Called at the commit of every transaction that writes, before and after the write, with the ids it recorded. */
  onCommit: (stage: 'before-commit' | 'after-commit', recorded: string[]) => void = () => {};
  /** The first commit of a transaction that asked to record one of these ids fails, as a database hiccup would. */
  readonly failOnce = new Set<string>();
  /** Every commit of a transaction that asked to record one of these ids fails: a payment that can never be applied. */
  readonly failAlways = new Set<string>();

  /** The store a worker process sees through its database connection `db`. */
  store(db: DbConnection): EffectStore {
    const statement = async <T>(work: () => T | Promise<T>, about?: string): Promise<T> => {
      this.inFlight++;
      try {
        await new Promise((resolve) => setImmediate(resolve));
        if (db.dead) throw new Error('the worker process is dead');
        db.calls++;
        if (about !== undefined) db.asked.add(about);
        const result = await work();
        await db.replyMayLeave();
        if (db.dead) throw new Error('the worker process died before the reply arrived');
        return result;
      } finally {
        this.inFlight--;
      }
    };
    return {
      isProcessed: (messageId) => statement(() => this.processed.has(messageId), messageId),
      transaction: async <T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> => {
        const tx = this.begin();
        const open = () => {
          if (tx.ended) throw new Error('this transaction has ended: use tx only inside the work given to transaction()');
        };
        const api: LedgerTransaction = {
          recordProcessed: (messageId) =>
            statement(() => {
              open();
              tx.asked.add(messageId);
              return this.record(tx, messageId);
            }, messageId),
          addToBalance: (account, amount) =>
            statement(() => {
              open();
              tx.credits.push([account, amount]);
            }),
        };
        try {
          const result = await work(api);
          await statement(() => this.commit(tx, db));
          return result;
        } finally {
          this.rollback(tx); // does nothing after a commit
        }
      },
    };
  }

  private begin(): OpenTransaction {
    let finish = () => {};
    const end = new Promise<void>((resolve) => (finish = resolve));
    return { recorded: new Set(), asked: new Set(), credits: [], ended: false, end, finish };
  }

  /** INSERT ... ON CONFLICT DO NOTHING, with PostgreSQL's wait for a row another open transaction inserted. */
  private async record(tx: OpenTransaction, messageId: string): Promise<boolean> {
    for (;;) {
      if (this.processed.has(messageId) || tx.recorded.has(messageId)) return false;
      const other = this.locked.get(messageId);
      if (!other) break;
      await other;
      if (tx.ended) throw new Error('this transaction has ended');
    }
    this.locked.set(messageId, tx.end);
    tx.recorded.add(messageId);
    return true;
  }

  private commit(tx: OpenTransaction, db: DbConnection): void {
    if (tx.ended) throw new Error('this transaction has ended');
    if ([...tx.asked].some((id) => this.failAlways.has(id))) throw new Error('the payment was refused: transaction rolled back');
    const hiccup = [...tx.asked].find((id) => this.failOnce.has(id));
    if (hiccup !== undefined) {
      this.failOnce.delete(hiccup);
      throw new Error('database hiccup: transaction rolled back');
    }
    const writes = tx.recorded.size > 0 || tx.credits.length > 0;
    if (writes) this.onCommit('before-commit', [...tx.recorded]);
    if (db.dead) throw new Error('the worker process died mid-transaction'); // killed by onCommit
    for (const id of tx.recorded) this.processed.add(id);
    for (const [account, amount] of tx.credits) this.balances.set(account, (this.balances.get(account) ?? 0) + amount);
    this.commits++;
    this.end(tx);
    if (writes) this.onCommit('after-commit', [...tx.recorded]);
  }

  private rollback(tx: OpenTransaction): void {
    if (!tx.ended) this.end(tx);
  }

  private end(tx: OpenTransaction): void {
    tx.ended = true;
    for (const id of tx.recorded) if (this.locked.get(id) === tx.end) this.locked.delete(id);
    tx.finish();
  }
}

/** Payment number `i` of a check: 1 cent to an account of its own, so that each account's balance says how often it was paid. */
const payment = (i: number): Payment => ({ account: `acct-${i}`, amount: 1 });
export const paymentId = (i: number) => `p-${i}`;

/** RabbitMQ at AMQP_URL: in the gradebook, a virtual host and a user of the submission's own. */
const broker = new RabbitBroker(amqpUrl());
const opened: BrokerConnection[] = [];
const queues: string[] = [];
const workers: RunningWorker[] = [];
let shared: Promise<BrokerConnection> | undefined;

/**
 * The checks' own connection (declaring, sending, counting), opened once per check file: opening
 * one costs tens of milliseconds. After an error the broker may have closed its channel, so the
 * next call opens a new one.
 */
export async function admin<T>(use: (connection: BrokerConnection) => Promise<T>): Promise<T> {
  shared ??= broker.connect().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  const connection = await shared;
  try {
    return await use(connection);
  } catch (error) {
    shared = undefined;
    void connection.close();
    throw error;
  }
}

/** Registers the clean-up after each check (stop workers, delete queues, close connections) and after the file. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop().catch(() => {});
    for (const queue of queues.splice(0)) await admin((connection) => connection.deleteQueue(queue)).catch(() => {});
    for (const connection of opened.splice(0)) await connection.close();
  });
  afterAll(async () => {
    await (await shared)?.close();
  });
}

/** A connection that the clean-up closes. */
async function connect(): Promise<BrokerConnection> {
  const connection = await broker.connect();
  opened.push(connection);
  return connection;
}

/** Waits until `condition()` holds, or fails saying what it waited for. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** How a check starts a worker process. */
export interface ProcessOptions {
  /** Passed to startWorker; `'default'` leaves it out. Default 10. */
  prefetch?: number | 'default';
  /** Passed to startWorker; `'default'` leaves it out. Default: the run's. */
  deliveryLimit?: number | 'default';
  /** Hold back every database reply from the start (see {@link DbConnection.holdReplies}). */
  holdReplies?: boolean;
}

/** A worker process of a check. */
export interface WorkerProcess {
  worker: RunningWorker;
  db: DbConnection;
  /** Deliveries it received so far, and how many of them it acked or nacked. */
  received(): number;
  settled(): number;
  /** The process dies: its broker connection closes, and its database calls fail from now on. */
  kill(): void;
  /**
   * Only its broker connection is lost (a network partition, a missed heartbeat): the broker
   * redelivers what it held, its acks go nowhere, but the process and its database connection
   * live on, and it goes on with the payments it held: a zombie.
   */
  loseBroker(): void;
}

/** The queues, ledger and log of one check. */
export class PaymentsRun {
  readonly ledger = new Ledger();
  readonly queue = `exercise10-${randomUUID()}`;
  readonly deadLetterQueue = `${this.queue}-dead-letters`;
  /** Deliveries of each message: by id, or `no id: <account>`. */
  readonly deliveries = new Map<string, number>();

  constructor(readonly deliveryLimit: number) {
    queues.push(this.queue, this.deadLetterQueue);
  }

  /** Declares both queues as the worker must (a check that tests the worker's own declaration skips this). */
  async declareQueues(): Promise<void> {
    await admin(async (connection) => {
      await connection.assertQueue(this.deadLetterQueue);
      await connection.assertQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, deliveryLimit: this.deliveryLimit });
    });
  }

  /** Sends payments `from` .. `to - 1`, with their ids (or with none). */
  async send(from: number, to: number, options: { withIds?: boolean } = {}): Promise<void> {
    await admin(async (producer) => {
      const sends: Promise<void>[] = [];
      for (let i = from; i < to; i++) sends.push(producer.send(this.queue, payment(i), options.withIds === false ? {} : { messageId: paymentId(i) }));
      await Promise.all(sends);
    });
  }

  /** Starts a worker as a new process would: a fresh copy of the module, its own broker and database connections. */
  async startWorker(options: ProcessOptions = {}): Promise<WorkerProcess> {
    const connection = await connect();
    const db = new DbConnection(options.holdReplies ?? false);
    let brokerLost = false;
    let received = 0;
    let settledCount = 0;
    // The worker sees the broker through this wrapper, so that losing it silences the worker at once.
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
      consume: (name, handler, consumeOptions) =>
        connection.consume(
          name,
          (delivery: Delivery) => {
            if (brokerLost) return;
            const key = delivery.properties.messageId ?? `no id: ${(delivery.body as Payment).account}`;
            this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
            received++;
            let settled = false;
            const settle = (act: () => void) => {
              if (settled) return;
              settled = true;
              settledCount++;
              if (!brokerLost) act(); // else the ack or nack goes nowhere
            };
            return handler({
              ...delivery,
              ack: () => settle(() => delivery.ack()),
              nack: (nackOptions?: { requeue?: boolean }) => settle(() => delivery.nack(nackOptions)),
            } as Delivery<never>);
          },
          consumeOptions,
        ),
    };
    const workerOptions: WorkerOptions = { queue: this.queue, deadLetterQueue: this.deadLetterQueue, store: this.ledger.store(db) };
    const prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    const deliveryLimit = options.deliveryLimit ?? this.deliveryLimit;
    if (prefetch !== 'default') workerOptions.prefetch = prefetch;
    if (deliveryLimit !== 'default') workerOptions.deliveryLimit = deliveryLimit;
    vi.resetModules();
    const { startWorker } = await import('@submission/10-broker-worker/worker');
    let worker: RunningWorker;
    try {
      worker = await startWorker(wrapped, workerOptions);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!/PRECONDITION_FAILED|inequivalent arg/.test(reason)) throw error;
      throw new Error(`startWorker failed: the broker refused a queue declaration (${reason}): declare the queue with { deadLetterQueue, deliveryLimit } as the README says`, { cause: error });
    }
    workers.push(worker);
    return {
      worker,
      db,
      received: () => received,
      settled: () => settledCount,
      kill() {
        db.dead = true;
        db.releaseReplies(); // its waiting statements now fail, and its open transactions roll back
        brokerLost = true;
        void connection.close();
      },
      loseBroker() {
        brokerLost = true;
        void connection.close();
      },
    };
  }

  /** Messages in the dead-letter queue now. */
  async deadLettered(): Promise<number> {
    try {
      return await admin((connection) => connection.messageCount(this.deadLetterQueue));
    } catch (error) {
      throw new Error(`the dead-letter queue ${this.deadLetterQueue} does not exist: the worker must declare it`, { cause: error });
    }
  }

  /** How many times the message with this id (or `no id: <account>`) was delivered. */
  timesDelivered(key: string): number {
    return this.deliveries.get(key) ?? 0;
  }

  /** How many times payment `i` was applied (its account's balance). */
  timesPaid(i: number): number {
    return this.ledger.balances.get(payment(i).account) ?? 0;
  }

  /** "p-7 paid 2 times" for each payment of `0 .. count - 1` (except `skip`) not paid exactly once. */
  wrongPayments(count: number, skip: number[] = []): string[] {
    return Array.from({ length: count }, (_, i) => i)
      .filter((i) => !skip.includes(i) && this.timesPaid(i) !== 1)
      .map((i) => `${paymentId(i)} paid ${this.timesPaid(i)} times`);
  }

  /**
   * Waits until the queue is empty and the ledger has been quiet for a moment (nothing committed,
   * no statement under way), or until `done()` holds. A lost payment thus ends the wait quickly
   * instead of in a time-out; the check then says which.
   */
  async settle(done: () => boolean | Promise<boolean> = () => false): Promise<void> {
    const QUIET_MS = 300;
    let lastCommits = -1;
    let quietSince = Date.now();
    await waitFor(async () => {
      if (this.ledger.commits !== lastCommits || this.ledger.inFlight > 0) {
        lastCommits = this.ledger.commits;
        quietSince = Date.now();
        return false;
      }
      const drained = (await admin((connection) => connection.messageCount(this.queue))) === 0;
      return drained && ((await done()) || Date.now() - quietSince > QUIET_MS);
    }, `the queue to drain (${this.ledger.commits} transactions committed so far; are messages acked?)`);
  }
}

/** A run whose queues are declared and hold payments p-0 .. p-(count - 1). */
export async function paymentsRun(count: number, options: { deliveryLimit?: number } = {}): Promise<PaymentsRun> {
  const run = new PaymentsRun(options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT);
  await run.declareQueues();
  await run.send(0, count);
  return run;
}
