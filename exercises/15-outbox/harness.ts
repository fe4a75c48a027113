/**
 * What the public and hidden checks of exercise 15 share: one PGlite database for the check file,
 * the in-process broker, and "processes" of the three services that the checks crash at chosen
 * steps. See checks.test.ts beside it.
 *
 * A process is what one running copy of a service holds: a freshly loaded copy of your module
 * (nothing kept in a variable survives a crash), and the database, publisher and deliveries the
 * checks hand it. Each of those passes through a step where the process may die, as a plan says:
 * - `transaction`, `before` its commit (the transaction rolls back) or `after` it;
 * - `statement` (a `db.query` outside a transaction, which commits on its own), before or after;
 * - `publish`, before the broker has the message or after it confirmed it;
 * - `ack`, before the broker heard it (after the effect: the worst moment) or after.
 * From the instant it dies, everything the process calls fails and its acks and nacks are lost;
 * the broker hands its unacknowledged message to the next consumer, and a new process takes over.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { InProcessBroker, type BrokerConnection, type Delivery } from '../../toolkit/broker';
import { PgliteDatabase, PostgresDatabase, type Database, type QueryResult, type Sql } from '../../toolkit/db';
import { Random } from '../../toolkit/netsim';
import type { Order, OrderPlaced, OrderService, Publisher } from '@submission/15-outbox/outbox';

type OutboxModule = typeof import('@submission/15-outbox/outbox');
type InboxModule = typeof import('@submission/15-outbox/inbox');

/** Time a check may take: starting the database alone takes seconds on a busy machine. */
export const CHECK_TIMEOUT_MS = 30_000;

/**
 * The delivery limit of the order-placed queue in every world but those of item 13: so high that
 * no message reaches it, since there processes die at every step or at random and every stored
 * order must ship.
 */
const FAR_LIMIT = 1_000;

/** The delivery limit of the order-placed queue in the check of item 13, as its README item says. */
export const POISON_LIMIT = 3;

/**
 * Transactions (a statement outside one counts as one) a process may begin while it handles one
 * delivery. Past it, the checks take the handler for a retry loop, which no delivery limit can
 * bound, and stop answering it: a loop that catches every failure would otherwise spin for ever.
 */
export const TRANSACTIONS_PER_DELIVERY = 20;

const SCHEMA = [
  'CREATE TABLE orders (id text PRIMARY KEY, item text NOT NULL, quantity int NOT NULL CHECK (quantity > 0))',
  `CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     message_id text NOT NULL UNIQUE,
     payload jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     sent_at timestamptz)`,
  'CREATE TABLE inbox (message_id text PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now())',
  'CREATE TABLE shipments (id bigserial PRIMARY KEY, order_id text NOT NULL, item text NOT NULL, quantity int NOT NULL)',
];

/** The check file's database: one PGlite, started once (it takes seconds), emptied for every world. */
let database: PgliteDatabase;
/**
 * Where the checks of copies handled at the same moment run: a PostgreSQL server when one answers
 * (its transactions really run at once), else the same PGlite behind {@link ConcurrentModel}.
 */
let concurrent: Database;
let dropServerSchema: (() => Promise<void>) | undefined;
let serverDescription: string | undefined;

/** The workbook's PostgreSQL (./setup creates it), unless DATABASE_URL names another. */
export const DEFAULT_DATABASE_URL = 'postgres://workbook:workbook@127.0.0.1:5432/workbook';

/** Does something accept a TCP connection at the URL's host and port (within a second)? */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 5432), timeout: 1_000 });
    const end = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => end(true)).once('error', () => end(false)).once('timeout', () => end(false));
  });
}

/**
 * The PostgreSQL server at DATABASE_URL (default {@link DEFAULT_DATABASE_URL}) with the tables in a
 * schema of this check file's own (checks that run at once never share a table), or undefined
 * when no server answers there (then the checks use the model).
 */
async function openServer(): Promise<{ db: Database; description: string; drop: () => Promise<void> } | undefined> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (process.env.WORKBOOK_NO_POSTGRES === '1' || !(await answers(url))) return undefined;
  const schema = `ex15_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new PostgresDatabase(url);
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch {
    await admin.close(); // it answers, but not as the workbook's database (no role, no rights): use the model
    return undefined;
  }
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  const db = new PostgresDatabase(withSchema.toString());
  for (const statement of SCHEMA) await db.query(statement);
  const shown = new URL(url);
  shown.username = shown.password = '';
  return {
    db,
    description: `the PostgreSQL server at ${shown.toString()}, schema ${schema}`,
    drop: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
      await admin.close();
    },
  };
}

/** Starts the file's database before its checks and closes it after them. */
export function useDatabase(): void {
  beforeAll(async () => {
    database = await PgliteDatabase.create();
    for (const statement of SCHEMA) await database.query(statement);
    const server = await openServer();
    concurrent = server?.db ?? new ConcurrentModel(database);
    serverDescription = server?.description;
    dropServerSchema = server?.drop;
  }, 60_000);
  afterAll(async () => {
    await dropServerSchema?.();
    await database?.close();
  });
}

/** What the checks of copies handled at once run on, for their failure messages. */
export function concurrentDescription(): string {
  return serverDescription ?? concurrent.description;
}

// --- A model of PostgreSQL's concurrent transactions, on PGlite --------------------------------

interface Statement {
  text: string;
  params?: unknown[];
}
type Outcome = { result: QueryResult<Record<string, unknown>> } | { error: unknown };

/** A statement that may write: anything but a plain SELECT. */
const writes = (text: string) => !/^\s*select\b/i.test(text);

const codeOf = (outcome: Outcome) => ('error' in outcome ? ((outcome.error as { code?: string })?.code ?? 'error') : `rows ${outcome.result.rowCount}`);

/** One open transaction of the model: the statements it wrote, which no other transaction sees. */
class ModelTransaction {
  readonly writes: Statement[] = [];
  aborted: unknown;
  waitingOn = new Set<ModelTransaction>();
  private ended!: () => void;
  readonly end = new Promise<void>((resolve) => (this.ended = resolve));
  finish(): void {
    this.ended();
  }
}

/** Rolls back a probe of the model. */
class Rollback extends Error {}

/**
 * PGlite runs one transaction at a time, so two copies of a message handled "at once" on it never
 * race: the second transaction starts after the first committed, and a check-then-insert sees the
 * first one's row. This model gives each transaction its own view, as PostgreSQL (READ COMMITTED)
 * does, with PGlite executing every statement:
 * - a statement sees what was committed before it, and its own transaction's writes (the model
 *   replays them in a PGlite transaction that it rolls back);
 * - the writes of a transaction reach the others only when it commits (then replayed for real);
 * - a write whose result another open transaction's writes would change (the same key inserted:
 *   a unique conflict; the same row updated) waits until that transaction ends, then runs on what
 *   is committed: an `INSERT` of a key the other committed fails (23505) or, with `ON CONFLICT DO
 *   NOTHING`, inserts nothing; two transactions waiting on each other: one fails (40P01);
 * - after a failed statement, the transaction accepts no other (25P02) and rolls back.
 * Statements of different transactions run one at a time, in the order they are sent.
 */
export class ConcurrentModel implements Database {
  readonly kind = 'pglite' as const;
  readonly description = 'PGlite behind the checks’ model of concurrent PostgreSQL transactions (no PostgreSQL server answered at DATABASE_URL)';
  private readonly open = new Set<ModelTransaction>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly base: PgliteDatabase) {}

  /** Runs `step` after every step sent before it: the model's statements never interleave. */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Replays `before` (ignoring what fails), then `own`, then runs `statement`, and rolls it all back. */
  private async probe(before: Statement[], own: Statement[], statement: Statement): Promise<Outcome> {
    if (before.length === 0 && own.length === 0 && !writes(statement.text)) {
      try {
        return { result: await this.base.query(statement.text, statement.params) };
      } catch (error) {
        return { error };
      }
    }
    let outcome: Outcome | undefined;
    try {
      await this.base.transaction(async (tx) => {
        for (const [i, w] of before.entries()) {
          await tx.query(`SAVEPOINT replay_${i}`);
          await tx.query(w.text, w.params).catch(() => tx.query(`ROLLBACK TO SAVEPOINT replay_${i}`));
        }
        for (const w of own) await tx.query(w.text, w.params);
        await tx.query('SAVEPOINT statement');
        try {
          outcome = { result: await tx.query(statement.text, statement.params) };
        } catch (error) {
          outcome = { error };
        }
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return outcome as Outcome;
  }

  private waitsOn(from: ModelTransaction, target: ModelTransaction, seen = new Set<ModelTransaction>()): boolean {
    if (from === target) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return [...from.waitingOn].some((next) => this.waitsOn(next, target, seen));
  }

  private async statement(t: ModelTransaction, statement: Statement): Promise<QueryResult<Record<string, unknown>>> {
    for (;;) {
      const step = await this.serial(async () => {
        if (t.aborted !== undefined) {
          throw Object.assign(new Error('current transaction is aborted, commands ignored until end of transaction block'), { code: '25P02' });
        }
        const alone = await this.probe([], t.writes, statement);
        const others = [...this.open].filter((o) => o !== t && o.writes.length > 0);
        if (writes(statement.text) && others.length > 0) {
          const changed = async (group: ModelTransaction[]) => codeOf(await this.probe(group.flatMap((o) => o.writes), t.writes, statement)) !== codeOf(alone);
          if (await changed(others)) {
            const blockers: ModelTransaction[] = [];
            for (const other of others) if (await changed([other])) blockers.push(other);
            return { wait: blockers.length > 0 ? blockers : others };
          }
        }
        if ('error' in alone) {
          t.aborted = alone.error;
          throw alone.error;
        }
        if (writes(statement.text)) t.writes.push(statement);
        return { result: alone.result };
      });
      if (step.result) return step.result;
      if (step.wait.some((other) => this.waitsOn(other, t))) {
        t.aborted = Object.assign(new Error('deadlock detected (the checks’ model of PostgreSQL)'), { code: '40P01' });
        throw t.aborted;
      }
      t.waitingOn = new Set(step.wait);
      await Promise.race(step.wait.map((other) => other.end));
      t.waitingOn.clear();
    }
  }

  private async commit(t: ModelTransaction): Promise<void> {
    await this.serial(async () => {
      if (t.aborted === undefined && t.writes.length > 0) {
        await this.base.transaction(async (tx) => {
          for (const w of t.writes) await tx.query(w.text, w.params);
        });
      }
    });
  }

  private end(t: ModelTransaction): void {
    this.open.delete(t);
    t.finish();
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.transaction((tx) => tx.query<Row>(text, params));
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const t = new ModelTransaction();
    this.open.add(t);
    try {
      const value = await work({ query: async <Row>(text: string, params?: unknown[]) => (await this.statement(t, { text, params })) as QueryResult<Row> });
      // As PostgreSQL's COMMIT of a failed transaction: nothing of it is committed.
      await this.commit(t);
      return value;
    } finally {
      this.end(t);
    }
  }

  async close(): Promise<void> {}
}

/** What an error says, whatever was thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

/** A process dying at a step: what the checks throw into your code. */
class Crash extends Error {
  override readonly name = 'Crash';
}

export type Op = 'transaction' | 'statement' | 'publish' | 'ack';
export interface Step {
  op: Op;
  point: 'before' | 'after';
}
/** What happens at a step: the process dies, the call fails (the process lives on), or nothing. */
export type Fault = 'crash' | 'fail' | undefined;
/** Decides, at every step of a process, what happens there. */
export type Plan = (step: Step) => Fault;

export const noFaults: Plan = () => undefined;

/** Dies at the `k`-th step (1-based) of the process, whatever it is. */
function crashAtStep(k: number): Plan {
  let n = 0;
  return () => (++n === k ? 'crash' : undefined);
}

/**
 * For the processes of one service, one after the other: the first dies at its first step, the
 * second at its second step, and so on, until one gets through. Each kind of step of your code
 * (a commit, a publish, an ack, ...) is thus where some process dies, at least once.
 */
export function staircase(): () => Plan {
  let k = 0;
  return () => crashAtStep(++k);
}

/** Dies at each step with probability `p`, drawn from `random` (one per service, so a seed replays). */
export function randomCrashes(random: Random, p: number): Plan {
  return () => (random.chance(p) ? 'crash' : undefined);
}

/** A seeded generator for one service of one world. */
export function randomFor(seed: number, service: string): Random {
  let hash = 2166136261; // FNV-1a
  for (const char of `${seed}/${service}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return new Random(hash >>> 0);
}

/** An error a database or broker gives when it refuses something; the process lives on. */
function refusal(op: Op): Error {
  return op === 'publish'
    ? new Error('the broker refused the message (injected by the checks)')
    : Object.assign(new Error('could not serialize access due to concurrent update (injected by the checks)'), { code: '40001' });
}

/** One delivery a shipping process is handling, as the checks watch it. */
interface Handling {
  messageId: string;
  /** Every transaction of it fails (item 13): a message that can never be handled. */
  failsAlways: boolean;
  /** Transactions begun for it so far. */
  begun: number;
  /** Whether one of its transactions or statements has been refused already, and whether it then tried again. */
  refused: boolean;
  triedAgain: boolean;
}

/** One running copy of a service: its steps, its plan, and whether it is dead. */
class Process {
  dead = false;
  steps = 0;
  /** Called once, when it dies. */
  onDeath: () => void = () => {};

  constructor(
    readonly name: string,
    private readonly plan: Plan,
    private readonly world: World,
  ) {}

  /** Throws if dead; else applies the plan at this step. */
  at(op: Op, point: Step['point']): void {
    this.alive();
    this.steps++;
    const fault = this.plan({ op, point });
    if (fault === 'crash') {
      this.die(`${op} ${point}`);
      throw new Crash(`${this.name} died (${op}, ${point})`);
    }
    if (fault === 'fail' && point === 'before') throw refusal(op);
  }

  alive(): void {
    if (this.dead) throw new Crash(`${this.name} is dead`);
  }

  die(where: string): void {
    if (this.dead) return;
    this.dead = true;
    this.world.events.push(`${this.name} died at ${where}`);
    this.onDeath();
  }

  /**
   * Counts a transaction begun for `handling`; past {@link TRANSACTIONS_PER_DELIVERY}, records it
   * and returns a call that never answers.
   */
  private begin(handling: Handling | undefined): Promise<never> | undefined {
    if (handling?.refused && !handling.triedAgain) {
      handling.triedAgain = true;
      this.world.violations.push(`handleOrderPlaced tried again within one delivery of message ${handling.messageId} after its transaction failed: retry by nacking with requeue, so that the queue counts the tries and dead-letters a message that always fails`);
    }
    if (!handling || ++handling.begun <= TRANSACTIONS_PER_DELIVERY) return undefined;
    this.world.stuck ??= `handleOrderPlaced began ${handling.begun} transactions for one delivery of message ${handling.messageId}${this.dead ? ', going on after its process died' : ''}: it retries inside the handler, where the broker cannot count the tries, so a message that always fails loops there for ever; nack it with requeue and let the queue's delivery limit dead-letter it`;
    return new Promise<never>(() => {});
  }

  /** The database as this process sees it; while it handles a delivery, `handling` says which. */
  database(handling?: Handling): Database {
    const run = async <Row>(send: () => Promise<QueryResult<Row>>, op: 'statement' | null): Promise<QueryResult<Row>> => {
      if (op) {
        this.at(op, 'before');
        if (handling?.failsAlways) {
          handling.refused = true;
          throw refusal(op);
        }
      } else this.alive();
      try {
        const result = await send();
        if (op) this.at(op, 'after');
        return result;
      } catch (error) {
        if (!(error instanceof Crash)) this.world.databaseErrors.push(error);
        throw error;
      }
    };
    const store = this.world.store;
    return {
      kind: store.kind,
      description: `the checks’ database (${store.description})`,
      query: <Row = Record<string, unknown>>(text: string, params?: unknown[]) => this.begin(handling) ?? run(() => store.query<Row>(text, params), 'statement'),
      transaction: async <T>(work: (tx: Sql) => Promise<T>): Promise<T> => {
        await this.begin(handling);
        this.alive();
        const result = await store.transaction(async (open) => {
          const inside: Sql = { query: <Row = Record<string, unknown>>(text: string, params?: unknown[]) => run(() => open.query<Row>(text, params), null) };
          const value = await work(inside);
          this.at('transaction', 'before');
          if (handling?.failsAlways) {
            handling.refused = true;
            throw refusal('transaction');
          }
          return value;
        });
        this.at('transaction', 'after');
        return result;
      },
      close: async () => {},
    };
  }
}

/** One thing the broker took from the relay. */
export interface Published {
  messageId: string;
  body: OrderPlaced;
}

/**
 * A world: the database emptied, a broker with the order-placed queue (a delivery limit and a
 * dead-letter queue, as in exercise 10), and the services started on it as processes. It records
 * what was published, delivered and dead-lettered, and every process that died.
 */
export class World {
  readonly broker = new InProcessBroker();
  readonly queue = 'order-placed';
  readonly deadLetterQueue = 'order-placed-dead-letters';
  /** Ids of the messages the broker dead-lettered, in order. */
  readonly deadLettered: string[] = [];
  /** Ids of messages whose every transaction fails (item 13): messages that can never be handled. */
  readonly failsAlways = new Set<string>();
  /** Set when a delivery began more than {@link TRANSACTIONS_PER_DELIVERY} transactions: what went wrong. */
  stuck: string | undefined;
  readonly published: Published[] = [];
  /** Deliveries of each message id to the shipping service. */
  readonly deliveries = new Map<string, number>();
  /** Errors the database gave the code under test (besides the injected ones). */
  readonly databaseErrors: unknown[] = [];
  /** What happened, for failure messages: processes that died, and where. */
  readonly events: string[] = [];
  /** Things the code under test did that the README rules out. */
  readonly violations: string[] = [];
  /** Messages put on the queue, and those acknowledged since: none is left when `sent` is `acked` plus the dead-lettered. */
  private sent = 0;
  private acked = 0;
  private processes = 0;
  private producer!: BrokerConnection;

  private constructor(
    readonly label: string,
    readonly prefix: string,
    /** The database of this world: the file's PGlite, or where copies run at once (`concurrent`). */
    readonly store: Database,
    /** The queue's delivery limit: failed deliveries a message may have before the broker dead-letters it. */
    readonly deliveryLimit: number,
  ) {}

  /**
   * @param options.label starts every failure message, e.g. "seed 7: "
   * @param options.prefix the ids of this world's orders start with it: worlds that share the
   *   tables (`keepTables`) are told apart by it
   * @param options.keepTables keep the rows of the worlds before (cheaper than emptying the tables)
   * @param options.concurrent on a database whose transactions run at once: a PostgreSQL server
   *   when one answers, else PGlite behind {@link ConcurrentModel}
   * @param options.deliveryLimit the order-placed queue's; default {@link FAR_LIMIT}
   */
  static async create(options: { label?: string; prefix?: string; keepTables?: boolean; concurrent?: boolean; deliveryLimit?: number } = {}): Promise<World> {
    const store = options.concurrent ? concurrent : database;
    if (!options.keepTables) await store.query('TRUNCATE orders, outbox, inbox, shipments');
    const world = new World(options.label ?? '', options.prefix ?? '', store, options.deliveryLimit ?? FAR_LIMIT);
    world.producer = await world.broker.connect();
    await world.producer.assertQueue(world.deadLetterQueue);
    await world.producer.assertQueue(world.queue, { deadLetterQueue: world.deadLetterQueue, deliveryLimit: world.deliveryLimit });
    await world.producer.consume(world.deadLetterQueue, (dead) => {
      world.deadLettered.push(dead.properties.messageId ?? '');
      dead.ack();
    });
    return world;
  }

  /** `count` orders of this world: <prefix>o-1, <prefix>o-2, ... */
  orders(count: number, name = 'o'): Order[] {
    return orders(count, `${this.prefix}${name}`);
  }

  /** The database itself, as the checks use it (no faults). */
  get db(): Database {
    return this.store;
  }

  /** A fresh copy of the order service (placeOrder and the relay), as a new process would load it. */
  async orderService(plan: Plan, role = 'order service'): Promise<{ process: Process; service: OrderService; code: OutboxModule }> {
    const process = new Process(`${role} #${++this.processes}`, plan, this);
    const publisher: Publisher = {
      publish: async (body, properties) => {
        process.at('publish', 'before');
        const messageId = properties?.messageId;
        if (typeof messageId !== 'string' || messageId === '') this.violations.push(`${process.name} published order ${body?.orderId} without a messageId`);
        await this.send(messageId, body);
        this.published.push({ messageId, body: JSON.parse(JSON.stringify(body)) as OrderPlaced });
        process.at('publish', 'after');
      },
    };
    vi.resetModules();
    const code = await import('@submission/15-outbox/outbox');
    return { process, service: { db: process.database(), publisher }, code };
  }

  /**
   * Places `orders` one after the other, each in the current process of the order service; a
   * process that dies is replaced. An order whose process died before the commit is not stored.
   */
  async placeOrders(orders: Order[], plan: () => Plan = () => noFaults): Promise<void> {
    let current = await this.orderService(plan());
    for (const order of orders) {
      try {
        await current.code.placeOrder(current.service, order);
      } catch (error) {
        if (!current.process.dead) throw error;
      }
      if (current.process.dead) current = await this.orderService(plan());
    }
  }

  /**
   * Runs the relay until a pass finds nothing to publish, replacing it whenever it dies; a pass
   * that fails because the broker refused a message is simply run again.
   */
  async drainOutbox(plan: () => Plan = () => noFaults, maxPasses = 200): Promise<void> {
    // A pass that met a fault may stop there and return 0 (README item 5): that is not an empty outbox.
    let faulted: boolean | undefined;
    const noting = (inner: Plan): Plan => (step) => {
      const fault = inner(step);
      if (fault !== undefined) faulted = true;
      return fault;
    };
    let relay = await this.orderService(noting(plan()), 'relay');
    for (let pass = 1; pass <= maxPasses; pass++) {
      faulted = false;
      try {
        const found = await relay.code.relayOnce(relay.service);
        if (!relay.process.dead && found === 0 && !faulted) return;
      } catch (error) {
        if (!relay.process.dead && !(error instanceof Error && error.message.includes('injected by the checks'))) throw error;
      }
      if (relay.process.dead) relay = await this.orderService(noting(plan()), 'relay');
    }
    throw new Error(`${this.label}the relay made ${maxPasses} passes and still found rows to publish: does it mark them sent?`);
  }

  /**
   * Runs the shipping service on the queue until every message on it is acked or dead-lettered,
   * one consumer process at a time (prefetch 1), replacing it whenever it dies.
   */
  async drainQueue(plan: () => Plan = () => noFaults): Promise<void> {
    let consumer = await this.consumer(plan());
    while (this.sent > this.acked + this.deadLettered.length) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (this.stuck !== undefined) throw new Error(`${this.label}${this.stuck}`);
      if (consumer.process.dead) {
        consumer = await this.consumer(plan());
        continue;
      }
      if (consumer.running === 0 && consumer.unsettled.size > 0) {
        const [messageId] = consumer.unsettled;
        // What it threw says more than that it did not settle (a TODO, a wrong query, ...).
        if (consumer.thrown !== undefined) throw consumer.thrown;
        throw new Error(`${this.label}handleOrderPlaced returned without acking or nacking message ${messageId} (ack after the commit; nack with requeue when something failed)`);
      }
      const [most] = [...this.deliveries].sort((a, b) => b[1] - a[1]);
      if (most && most[1] > 50) {
        const lastError = this.databaseErrors.at(-1);
        throw new Error(`${this.label}message ${most[0]} was delivered ${most[1]} times and never acked${lastError ? `; the last database error: ${messageOf(lastError)}` : ''}`);
      }
    }
    await consumer.connection.close();
  }

  /** A fresh consumer process of the shipping service on the queue. */
  async consumer(plan: Plan) {
    const process = new Process(`shipping #${++this.processes}`, plan, this);
    const connection = await this.broker.connect();
    process.onDeath = () => void connection.close();
    vi.resetModules();
    const { handleOrderPlaced } = await import('@submission/15-outbox/inbox');
    const state = { process, connection, running: 0, unsettled: new Set<string>(), thrown: undefined as Error | undefined };
    await connection.consume<OrderPlaced>(
      this.queue,
      async (delivery) => {
        if (process.dead) return;
        const messageId = delivery.properties.messageId ?? '';
        this.deliveries.set(messageId, (this.deliveries.get(messageId) ?? 0) + 1);
        state.unsettled.add(messageId);
        state.running++;
        try {
          const handling = { messageId, failsAlways: this.failsAlways.has(messageId), begun: 0, refused: false, triedAgain: false };
          await handleOrderPlaced(process.database(handling), this.wrap(delivery, process, () => state.unsettled.delete(messageId)));
        } catch (error) {
          if (!process.dead) {
            this.databaseErrors.push(error);
            state.thrown = error instanceof Error ? error : new Error(messageOf(error));
          }
        } finally {
          state.running--;
        }
      },
      { prefetch: 1 },
    );
    return state;
  }

  /** A delivery as a process sees it: its ack passes through a step, and is lost once it died. */
  private wrap(delivery: Delivery<OrderPlaced>, process: Process, settled: () => void): Delivery<OrderPlaced> {
    let done = false;
    return {
      body: delivery.body,
      properties: delivery.properties,
      redelivered: delivery.redelivered,
      deliveryCount: delivery.deliveryCount,
      queue: delivery.queue,
      ack: () => {
        process.at('ack', 'before');
        if (!done) this.acked++;
        done = true;
        settled();
        delivery.ack();
        process.at('ack', 'after');
      },
      nack: (options) => {
        process.alive();
        if (!done && options?.requeue === false) {
          this.violations.push(`message ${delivery.properties.messageId} was rejected (nack without requeue): it goes to the dead-letter queue at once, never to ship`);
        }
        done = true;
        settled();
        delivery.nack(options);
      },
    };
  }

  /** Puts a message on the queue, as the broker takes it from a publisher. */
  async send(messageId: string, body: OrderPlaced): Promise<void> {
    await this.producer.send(this.queue, body, { messageId });
    this.sent++;
  }

  /** The ids of the stored orders. */
  async storedOrders(): Promise<string[]> {
    return (await this.store.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).rows.map((r) => r.id);
  }

  /** How many shipments each order got. */
  async shipments(): Promise<Map<string, number>> {
    const { rows } = await this.store.query<{ order_id: string; n: number }>('SELECT order_id, count(*) AS n FROM shipments GROUP BY order_id ORDER BY order_id');
    return new Map(rows.map((r) => [r.order_id, r.n]));
  }

  /** The outbox's rows, oldest first. */
  async outbox(): Promise<{ id: number; message_id: string; payload: OrderPlaced; sent: boolean }[]> {
    return (await this.store.query<{ id: number; message_id: string; payload: OrderPlaced; sent: boolean }>(
      'SELECT id, message_id, payload, sent_at IS NOT NULL AS sent FROM outbox ORDER BY id',
    )).rows;
  }

  /** What happened in this world, for a failure message. */
  story(): string {
    return this.events.length === 0 ? 'no process died' : this.events.join('; ');
  }

  /**
   * The end-to-end promise: every stored order was published (under the message id of its outbox
   * row) and shipped exactly once; nothing was published or shipped for an order not stored.
   */
  expectEveryOrderShippedOnce(): Promise<void> {
    return World.expectEveryOrderShippedOnce([this]);
  }

  /** {@link expectEveryOrderShippedOnce} for worlds that shared the tables, each by its prefix. */
  static async expectEveryOrderShippedOnce(worlds: World[]): Promise<void> {
    const store = worlds[0].store;
    const stored = (await store.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).rows.map((r) => r.id);
    const shipped = (await store.query<{ order_id: string; n: number }>('SELECT order_id, count(*) AS n FROM shipments GROUP BY order_id ORDER BY order_id')).rows;
    const rows = await worlds[0].outbox();
    for (const world of worlds) {
      const mine = (id: string) => id.startsWith(world.prefix);
      world.expectShippedOnce(stored.filter(mine), new Map(shipped.filter((r) => mine(r.order_id)).map((r) => [r.order_id, r.n])), rows.filter((r) => mine(r.payload.orderId)));
    }
  }

  private expectShippedOnce(stored: string[], shipped: Map<string, number>, rows: { message_id: string; payload: OrderPlaced; sent: boolean }[]): void {
    const context = `${this.label}(${this.story()})`;
    expect(this.violations, context).toEqual([]);
    expect(rows.filter((r) => !r.sent).map((r) => r.payload.orderId), `${context} outbox rows left unsent`).toEqual([]);
    const rowIds = new Set(rows.map((r) => r.message_id));
    const strays = this.published.filter((p) => !rowIds.has(p.messageId)).map((p) => `${p.body.orderId} as ${p.messageId}`);
    expect(strays, `${context} messages published with an id that is no outbox row's message_id`).toEqual([]);
    const phantoms = [...new Set(this.published.map((p) => p.body.orderId))].filter((id) => !stored.includes(id));
    expect(phantoms, `${context} orders announced but never stored (phantom messages)`).toEqual([]);
    expect(stored.filter((id) => !shipped.has(id)), `${context} stored orders never shipped (lost)`).toEqual([]);
    expect([...shipped].filter(([, n]) => n > 1).map(([id]) => id), `${context} orders shipped more than once`).toEqual([]);
    expect([...shipped.keys()].filter((id) => !stored.includes(id)), `${context} orders shipped but never stored`).toEqual([]);
  }
}

/** `count` orders o-1, o-2, ... (with a prefix), each for a different quantity. */
export function orders(count: number, prefix = 'o'): Order[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i + 1}`, item: ['book', 'lamp', 'desk', 'pen'][i % 4], quantity: i + 1 }));
}

/**
 * A database whose every call fails, as an unreachable one does, for handing to
 * `handleOrderPlaced` directly. Past {@link TRANSACTIONS_PER_DELIVERY} calls (a retry loop) it
 * answers no more, and `gaveUp` resolves.
 */
export function unreachableDatabase(db: Database): { db: Database; calls: () => number; gaveUp: Promise<void> } {
  let calls = 0;
  let giveUp = () => {};
  const gaveUp = new Promise<void>((resolve) => (giveUp = resolve));
  const fail = (): Promise<never> => {
    if (++calls > TRANSACTIONS_PER_DELIVERY) {
      giveUp();
      return new Promise<never>(() => {});
    }
    return Promise.reject(Object.assign(new Error('the database is unreachable (injected by the checks)'), { code: '08006' }));
  };
  return { db: { ...db, query: fail, transaction: fail }, calls: () => calls, gaveUp };
}

/**
 * A delivery made by the checks, not the broker, for handing the same message to two calls at
 * once: it records whether it was acked, nacked (and how), or neither.
 */
export function handMadeDelivery(messageId: string, body: OrderPlaced) {
  const outcome: { settled: 'ack' | 'requeue' | 'reject' | null } = { settled: null };
  const delivery: Delivery<OrderPlaced> = {
    body,
    properties: { messageId },
    redelivered: false,
    deliveryCount: 0,
    queue: 'order-placed',
    ack: () => void (outcome.settled ??= 'ack'),
    nack: (options) => void (outcome.settled ??= options?.requeue === false ? 'reject' : 'requeue'),
  };
  return { delivery, outcome };
}

/**
 * The inbox code, freshly loaded, with a database no check crashes: the file's PGlite, or, with
 * `concurrent`, a database whose transactions run at once (see {@link World.create}).
 */
export async function inboxCode(options: { concurrent?: boolean } = {}): Promise<{ handleOrderPlaced: InboxModule['handleOrderPlaced']; db: Database }> {
  vi.resetModules();
  const { handleOrderPlaced } = await import('@submission/15-outbox/inbox');
  return { handleOrderPlaced, db: options.concurrent ? concurrent : database };
}

/** One message for {@link handleCopiesAtOnce}. */
export interface Message {
  messageId: string;
  body: OrderPlaced;
}

/**
 * Hands `copies` copies of each message to `handleOrderPlaced` at the same moment, `messages` one
 * after another (a server's pool has room for the copies of one message), on `db`. A copy nacked
 * with requeue comes back, as the broker would hand it again, for up to 5 rounds. Returns what went
 * wrong with the deliveries: copies not settled when the call resolved, or rejected.
 */
export async function handleCopiesAtOnce(
  handleOrderPlaced: InboxModule['handleOrderPlaced'],
  db: Database,
  messages: Message[],
  copies: number,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { messageId, body } of messages) {
    let pending = Array.from({ length: copies }, () => handMadeDelivery(messageId, body));
    for (let round = 1; pending.length > 0 && round <= 5; round++) {
      await Promise.all(pending.map(({ delivery }) => handleOrderPlaced(db, delivery)));
      const unsettled = pending.filter(({ outcome }) => outcome.settled === null).length;
      if (unsettled > 0) problems.push(`${unsettled} of ${pending.length} copies of ${messageId} neither acked nor nacked when handleOrderPlaced resolved`);
      if (pending.some(({ outcome }) => outcome.settled === 'reject')) problems.push(`a copy of ${messageId} was rejected (nack without requeue): it would go to the dead-letter queue, never to ship`);
      pending = pending.filter(({ outcome }) => outcome.settled === 'requeue').map(() => handMadeDelivery(messageId, body));
    }
    if (pending.length > 0) problems.push(`copies of ${messageId} still nacked with requeue after 5 rounds`);
  }
  return problems;
}

/** `count` messages m-1, m-2, ... (with a prefix) for orders o-1, o-2, ... */
export function messages(count: number, prefix = ''): Message[] {
  return orders(count, `${prefix}o`).map((order, i) => ({ messageId: `${prefix}m-${i + 1}`, body: { orderId: order.id, item: order.item, quantity: order.quantity } }));
}

// --- Property-based checks (fast-check) --------------------------------------------------------

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** A case of crashes: for each service, the step at which each of its successive processes dies (0: it does not). */
export interface CrashCase {
  orders: number;
  orderService: number[];
  relay: number[];
  shipping: number[];
  /** Orders (by index) whose message the broker delivers once more after the relay's. */
  redeliver: number[];
}

export const crashCases: fc.Arbitrary<CrashCase> = fc.record({
  orders: fc.integer({ min: 1, max: 3 }),
  orderService: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }),
  relay: fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }),
  shipping: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }),
  redeliver: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
});

/** Plans for successive processes: the i-th dies at step `list[i]` (none when 0 or past the list). */
function plansFrom(list: number[]): () => Plan {
  let i = 0;
  return () => {
    const k = list[i++] ?? 0;
    return k === 0 ? noFaults : crashAtStep(k);
  };
}

/** A crash case in words. */
export function crashCaseSteps(c: CrashCase): string[] {
  const deaths = (service: string, list: number[]) =>
    list.length === 0 ? [`no ${service} process dies`] : list.map((k, i) => `the ${ordinal(i + 1)} ${service} process ${k === 0 ? 'does not die' : `dies at its ${ordinal(k)} step`}`);
  return [
    `${c.orders} order(s) placed, o-1 to o-${c.orders}`,
    ...deaths('order service', c.orderService),
    ...deaths('relay', c.relay),
    ...c.redeliver.filter((r) => r < c.orders).map((r) => `the broker delivers the message of o-${r + 1} once more`),
    ...deaths('shipping', c.shipping),
    'then every order placed is relayed and every message handled',
  ];
}

/** Runs one crash case in a fresh world, and checks the end-to-end promise. */
export async function runCrashCase(c: CrashCase): Promise<void> {
  const world = await World.create();
  await world.placeOrders(world.orders(c.orders), plansFrom(c.orderService));
  await world.drainOutbox(plansFrom(c.relay));
  const published = new Map(world.published.map((p) => [p.body.orderId, p]));
  for (const r of c.redeliver) {
    const message = published.get(`o-${r + 1}`);
    if (message) await world.send(message.messageId, message.body);
  }
  await world.drainQueue(plansFrom(c.shipping));
  await world.expectEveryOrderShippedOnce();
}

/** A case of copies handled at the same moment: waves of copies (message indexes), one wave after another. */
export interface InterleavingCase {
  messages: number;
  waves: number[][];
}

export const interleavingCases: fc.Arbitrary<InterleavingCase> = fc.record({
  messages: fc.integer({ min: 1, max: 3 }),
  waves: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
});

export function interleavingCaseSteps(c: InterleavingCase): string[] {
  return [
    `${c.messages} message(s), m-1 to m-${c.messages}, for orders o-1 to o-${c.messages}`,
    ...c.waves.map((wave, i) => `wave ${i + 1}: copies of ${wave.filter((m) => m < c.messages).map((m) => `m-${m + 1}`).join(', ') || 'nothing'} handled at the same moment`),
    'then each message handled once more, alone',
  ];
}

/** Runs one interleaving case on the database whose transactions run at once, and checks each order shipped once. */
export async function runInterleavingCase(c: InterleavingCase): Promise<void> {
  const world = await World.create({ concurrent: true });
  const { handleOrderPlaced, db } = await inboxCode({ concurrent: true });
  const all = messages(c.messages);
  const problems: string[] = [];
  for (const wave of c.waves) {
    const copies = wave.filter((m) => m < c.messages).map((m) => handMadeDelivery(all[m].messageId, all[m].body));
    await Promise.all(copies.map(({ delivery }) => handleOrderPlaced(db, delivery)));
    if (copies.some(({ outcome }) => outcome.settled === null)) problems.push('a copy was neither acked nor nacked when handleOrderPlaced resolved');
    if (copies.some(({ outcome }) => outcome.settled === 'reject')) problems.push('a copy was rejected (nack without requeue)');
  }
  problems.push(...(await handleCopiesAtOnce(handleOrderPlaced, db, all, 1)));
  expect(problems, `what went wrong with the deliveries (on ${concurrentDescription()})`).toEqual([]);
  const shipped = await world.shipments();
  const wrong = all.map((m) => `${m.body.orderId} ×${shipped.get(m.body.orderId) ?? 0}`).filter((s) => !s.endsWith('×1'));
  expect(wrong, `orders not shipped exactly once (on ${concurrentDescription()})`).toEqual([]);
}
