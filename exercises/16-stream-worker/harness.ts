/**
 * What the public and hidden checks of exercise 16 share: a stream of deposits on Redis with its
 * own random key per check, a ledger standing in for the worker's database, and worker
 * "processes" that the checks kill at chosen steps. See checks.test.ts beside it.
 *
 * A process is one running copy of the worker: a freshly loaded copy of your module (nothing kept
 * in a variable survives a kill), its own connection to Redis and its own consumer name. Each call
 * it makes to the stream or the ledger is a step where, as a plan says, it may die: from that
 * instant every call it makes fails (an ack never reaches Redis) and its connection closes. What
 * it read stays pending under its name, for another process to claim.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, expect, vi } from 'vitest';
import { RedisStreamServer, isRedisReachable, redisKeyPrefix, redisUrl, type StreamConnection } from '../../toolkit/stream';
import type { DeadLetter, Deposit, EffectStore, WorkerOptions } from '@submission/16-stream-worker/worker';

type WorkerModule = typeof import('@submission/16-stream-worker/worker');

export const redisUp = await isRedisReachable(redisUrl());

/**
 * The title of the checks' suite. Without Redis the suite is skipped, and its title tells the
 * grader why: it reports the exercise as "not run", never as passed.
 */
export const SUITE = redisUp
  ? 'a consumer-group worker on Redis Streams'
  : `not run: no Redis at REDIS_URL (${redisUrl().replace(/\/\/[^@/]*@/, '//')}); start Redis to grade this exercise`;
export const CHECK_TIMEOUT_MS = 20_000;

/** The group every check's workers join. */
export const GROUP = 'ledger';

/** The idle time after which the checks' workers may claim a dead consumer's entries. */
export const CLAIM_IDLE_MS = 40;

/**
 * The delivery limit of the runs where workers die at every step or at random (items 7 and 8):
 * so high that no entry reaches it, since there every entry's deposit must end up applied.
 */
export const FAR_LIMIT = { maxDeliveries: 1_000 };

/** How long a run may go without a deposit applied, an entry acked or dead-lettered before the checks give up on it. */
const STALL_MS = 2_000;

const server = new RedisStreamServer(redisUrl());
const opened: StreamConnection[] = [];
const streams: string[] = [];

/** Registers the clean-up after each check: delete its streams, close its connections. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    const admin = await server.connect();
    for (const stream of streams.splice(0)) await admin.deleteStream(stream).catch(() => {});
    await admin.close();
    for (const connection of opened.splice(0)) await connection.close();
  });
}

async function connect(): Promise<StreamConnection> {
  const connection = await server.connect();
  opened.push(connection);
  return connection;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process dying at a step: what the checks throw into your code. */
class Crash extends Error {
  override readonly name = 'Crash';
}

/** A step of a process: a call to the stream (its method name) or the ledger's commit. */
export interface Step {
  op: keyof StreamConnection | 'apply';
  point: 'before' | 'after';
  /** For a commit, the id of the entry whose deposit it applies. */
  entryId?: string;
}
/** Decides, at each step of a process, whether it dies there. */
export type Plan = (step: Step) => boolean;

const noFaults: Plan = () => false;

/** Dies at the `k`-th step (1-based) of the process, whatever it is. */
function crashAtStep(k: number): Plan {
  let n = 0;
  return () => ++n === k;
}

/**
 * For the processes of a run, one after the other: the first dies at its first step, the second
 * at its second, and so on, until one gets through. Every kind of step (a read, a claim, a
 * commit, an ack, ...) is thus where some process dies, before it and after it.
 */
export function staircase(): () => Plan {
  let k = 0;
  return () => crashAtStep(++k);
}

/** Dies at each step with probability `p`, drawn from a generator seeded by `seed`. */
export function randomCrashes(seed: number, p: number): () => Plan {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return () => () => next() < p;
}

/** The worker's database: balances, and the entry ids whose deposit they hold. */
class Ledger {
  readonly balances = new Map<string, number>();
  /** The entry ids recorded (its primary key: a second apply of one changes nothing). */
  readonly applied = new Set<string>();
  /** Entry ids whose next apply fails, as a database hiccup would. */
  readonly failOnce = new Set<string>();
  /** Entry ids whose every apply fails: a deposit the database always refuses. */
  readonly failAlways = new Set<string>();
  /** How many times each entry id reached the database in an apply, failed ones included. */
  readonly attempts = new Map<string, number>();

  /** The ledger as one process sees it: each commit is a step where it may die. */
  handle(process: Process): EffectStore {
    return {
      apply: async (entryId, deposit) => {
        process.at('apply', 'before', entryId);
        await new Promise((resolve) => setImmediate(resolve)); // a round trip to the database
        process.alive();
        this.attempts.set(entryId, (this.attempts.get(entryId) ?? 0) + 1);
        if (this.failOnce.delete(entryId)) throw new Error('database hiccup: transaction rolled back (injected by the checks)');
        if (this.failAlways.has(entryId)) throw new Error('deposit refused: transaction rolled back (injected by the checks)');
        const fresh = !this.applied.has(entryId);
        if (fresh) this.balances.set(deposit.account, (this.balances.get(deposit.account) ?? 0) + deposit.amount);
        this.applied.add(entryId);
        process.at('apply', 'after', entryId); // committed: dying here loses only the answer
        return fresh;
      },
    };
  }
}

/** One running copy of the worker. */
export class Process {
  dead = false;
  private connection?: StreamConnection;

  constructor(
    readonly name: string,
    private readonly plan: Plan,
    private readonly world: World,
  ) {}

  /** Throws if dead; else dies here if the plan says so. */
  at(op: Step['op'], point: Step['point'], entryId?: string): void {
    this.alive();
    if (this.plan({ op, point, entryId })) {
      this.kill(`${op} ${point}`);
      throw new Crash(`${this.name} died (${op}, ${point})`);
    }
  }

  alive(): void {
    if (this.dead) throw new Crash(`${this.name} is dead`);
  }

  /** Kills the process: its connection closes at once, its calls fail from now on. */
  private kill(where: string): void {
    if (this.dead) return;
    this.dead = true;
    this.world.events.push(`${this.name} died at ${where}`);
    void this.connection?.close();
  }

  /** Its connection to Redis, as the worker sees it: every call passes through a step. */
  async open(): Promise<StreamConnection> {
    const real = await connect();
    this.connection = real;
    const step =
      <K extends keyof StreamConnection>(op: K) =>
      async (...args: unknown[]): Promise<unknown> => {
        this.at(op, 'before');
        const sent = Date.now();
        const result: unknown = await (real[op] as (...a: unknown[]) => Promise<unknown>)(...args);
        if ((op === 'readGroup' || op === 'claimIdle') && args[0] === this.world.stream) this.world.handedOut(op, args, result as { id: string }[], sent);
        this.at(op, 'after');
        return result;
      };
    const methods = ['append', 'createGroup', 'readGroup', 'ack', 'pending', 'claimIdle', 'range', 'trim', 'length', 'groups', 'deleteStream'] as const;
    const wrapped = Object.fromEntries(methods.map((op) => [op, step(op)])) as unknown as StreamConnection;
    return { ...wrapped, close: () => real.close() };
  }
}

/** One check's world: a stream of its own with `count` deposits, the ledger, and the processes. */
export class World {
  readonly ledger = new Ledger();
  readonly events: string[] = [];
  /** Every entry id, oldest first. */
  readonly ids: string[] = [];
  /** The deposit of each entry, by id. */
  private readonly deposits = new Map<string, Deposit>();
  /** The stream the workers dead-letter entries to: a random key of its own, like the stream's. */
  readonly deadLetterStream: string;
  private processes = 0;
  /** When each entry was last handed out (taken before the call that handed it out), and to whom. */
  private readonly lastHandOut = new Map<string, { consumer: string; at: number }>();
  /** Entries a worker claimed from another consumer before they were idle for its claimIdleMs. */
  readonly earlyClaims: string[] = [];
  /** The claimIdleMs each consumer (process) runs with. */
  private readonly idleOf = new Map<string, number>();

  private constructor(
    readonly stream: string,
    readonly admin: StreamConnection,
  ) {
    this.deadLetterStream = `${stream}-dead-letters`;
  }

  /**
   * Records what a readGroup or claimIdle handed out: a claim of another consumer's entry sooner
   * than the claimer's claimIdleMs after it was last handed out is an early claim. (`sent` is
   * taken before the call: the time measured is never shorter than the idle time Redis saw.)
   */
  handedOut(op: 'readGroup' | 'claimIdle', args: unknown[], entries: { id: string }[], sent: number): void {
    const consumer = String(args[2]);
    const now = Date.now();
    for (const { id } of entries) {
      const last = this.lastHandOut.get(id);
      const minIdle = this.idleOf.get(consumer) ?? CLAIM_IDLE_MS;
      if (op === 'claimIdle' && last && last.consumer !== consumer && now - last.at < minIdle) {
        this.earlyClaims.push(`${consumer} claimed ${id} from ${last.consumer} at most ${now - last.at} ms after it was handed out (claimIdleMs ${minIdle})`);
      }
      this.lastHandOut.set(id, { consumer, at: sent });
    }
  }

  /**
   * A stream of its own (a random key, under `REDIS_KEY_PREFIX` when the gradebook gives one),
   * holding `count` deposits of 1 to accounts a0..a9.
   */
  static async create(count: number): Promise<World> {
    const stream = `${redisKeyPrefix()}exercise16-${randomUUID()}`;
    const world = new World(stream, await connect());
    streams.push(stream, world.deadLetterStream);
    await world.append(count);
    return world;
  }

  /** Appends `count` more deposits. */
  async append(count: number): Promise<void> {
    const first = this.ids.length;
    // Sent at once, in order, on one connection: Redis gives them ids in that order.
    const deposits: Deposit[] = Array.from({ length: count }, (_, i) => ({ account: `a${(first + i) % 10}`, amount: 1 }));
    const ids = await Promise.all(deposits.map((deposit) => this.admin.append(this.stream, deposit)));
    ids.forEach((id, i) => this.deposits.set(id, deposits[i]));
    this.ids.push(...ids);
  }

  /** What the workers appended to the dead-letter stream, oldest first. */
  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.admin.range<DeadLetter>(this.deadLetterStream)).map((entry) => entry.body);
  }

  /** A fresh process of the worker: its own connection, consumer name and copy of the module. */
  async start(plan: Plan = noFaults, options: Partial<WorkerOptions> = {}): Promise<{ process: Process; work: () => Promise<number> }> {
    const process = new Process(`worker-${++this.processes}`, plan, this);
    const connection = await process.open();
    vi.resetModules();
    const { workOnce }: WorkerModule = await import('@submission/16-stream-worker/worker');
    const workerOptions: WorkerOptions = {
      stream: this.stream,
      group: GROUP,
      consumer: process.name,
      store: this.ledger.handle(process),
      claimIdleMs: CLAIM_IDLE_MS,
      deadLetterStream: this.deadLetterStream,
      ...options,
    };
    this.idleOf.set(process.name, workerOptions.claimIdleMs);
    return { process, work: () => workOnce(connection, workerOptions) };
  }

  /**
   * How far the work is: deposits applied, entries pending, entries dead-lettered, and whether
   * that is all of it (every entry applied or dead-lettered, none pending).
   */
  private async progress(): Promise<{ settled: boolean; state: string }> {
    const [group] = await this.admin.groups(this.stream);
    const pending = group?.pending ?? 0;
    const dead = new Set((await this.deadLetters()).map((letter) => letter.entryId));
    const applied = this.ids.filter((id) => this.ledger.applied.has(id)).length;
    const done = this.ids.filter((id) => this.ledger.applied.has(id) || dead.has(id)).length;
    return { settled: done === this.ids.length && pending === 0, state: `${applied}/${pending}/${dead.size}` };
  }

  /**
   * Runs `lanes` workers side by side (one by default) until every entry is applied and acked.
   * Each process that dies is replaced by a new one, which, once the idle time has passed, claims
   * what the dead one left pending. Gives up (the expectations then say what is missing) when
   * nothing has changed for a while: no deposit applied, no entry acked or dead-lettered (workers
   * that keep dying without any of these do not count as progress, so a worker that never claims
   * fails fast).
   */
  async runUntilSettled(plan: () => Plan = () => noFaults, options: { worker?: Partial<WorkerOptions>; lanes?: number; stallMs?: number } = {}): Promise<void> {
    let last = { state: '', at: Date.now() };
    const finished = async () => {
      const { settled, state } = await this.progress();
      if (state !== last.state) last = { state, at: Date.now() };
      return settled || Date.now() - last.at > (options.stallMs ?? STALL_MS);
    };
    const lane = async () => {
      let current = await this.start(plan(), options.worker);
      while (!(await finished())) {
        let took = 0;
        try {
          took = await current.work();
        } catch (error) {
          if (!current.process.dead) throw error;
        }
        if (current.process.dead) current = await this.start(plan(), options.worker);
        else if (took === 0) await sleep(CLAIM_IDLE_MS / 4);
      }
    };
    await Promise.all(Array.from({ length: options.lanes ?? 1 }, lane));
  }

  /** What happened, for failure messages. */
  story(): string {
    const died = this.events.length === 1 ? '1 worker died' : `${this.events.length} workers died`;
    return this.events.length === 0 ? 'no worker died' : `${died}: ${this.events.slice(0, 8).join('; ')}${this.events.length > 8 ? '; ...' : ''}`;
  }

  /**
   * Every entry acked; the deposit of each applied exactly once, except the `deadLettered` ones:
   * never applied, and each in the dead-letter stream (at least once: a worker may die between
   * appending it there and acking it) with its deposit and its delivery count (more than
   * `maxDeliveries`); no other entry there. And the balances right.
   */
  async expectExactlyOnce({ deadLettered = [], maxDeliveries = 5 }: { deadLettered?: string[]; maxDeliveries?: number } = {}): Promise<void> {
    // What went wrong first, then the run's story: the grader shortens long messages from the end.
    const because = (what: string) => `${what} (${this.story()})`;
    const kept = this.ids.filter((id) => !deadLettered.includes(id));
    const missing = kept.filter((id) => !this.ledger.applied.has(id));
    expect(missing.length, because(`entries whose deposit was never applied, e.g. ${missing.slice(0, 3).join(', ')}`)).toBe(0);
    const strangers = [...this.ledger.applied].filter((id) => !this.ids.includes(id));
    expect(strangers.slice(0, 3), because("deposits recorded under an id that is no entry's id (apply takes the entry's id)")).toEqual([]);
    const letters = await this.deadLetters();
    expect(letters.filter((letter) => !deadLettered.includes(letter.entryId)), because('dead letters of entries that were never handed out more than maxDeliveries times')).toEqual([]);
    for (const id of deadLettered) {
      const theirs = letters.filter((letter) => letter.entryId === id);
      expect(theirs.length, because(`dead letters of entry ${id}, which was handed out more than maxDeliveries (${maxDeliveries}) times and never applied`)).toBeGreaterThan(0);
      for (const letter of theirs) {
        expect(letter.deposit, because(`the deposit in the dead letter of ${id}`)).toEqual(this.deposits.get(id));
        expect(letter.deliveries, because(`the delivery count in the dead letter of ${id} (maxDeliveries ${maxDeliveries})`)).toBeGreaterThan(maxDeliveries);
      }
    }
    const pending = await this.admin.pending(this.stream, GROUP, { count: 10 });
    expect(pending.map((p) => `${p.id} (held by ${p.consumer}, delivered ${p.deliveries} times)`), because('entries still pending: never acked')).toEqual([]);
    expect(this.ledger.balances, because('balances')).toEqual(this.balancesOf(kept));
  }

  /** The balances once the deposits of the entries `ids`, and no other, are applied. */
  private balancesOf(ids: string[]): Map<string, number> {
    const balances = new Map<string, number>();
    for (const { account, amount } of ids.map((id) => this.deposits.get(id)!)) balances.set(account, (balances.get(account) ?? 0) + amount);
    return balances;
  }
}

// --- Property-based checks (fast-check) --------------------------------------------------------

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** A case of worker deaths: the step at which each successive worker process dies (0: it does not). */
export interface DeathCase {
  entries: number;
  batch: number;
  lanes: number;
  deaths: number[];
}

export const deathCases: fc.Arbitrary<DeathCase> = fc.record({
  entries: fc.integer({ min: 1, max: 8 }),
  batch: fc.integer({ min: 1, max: 4 }),
  lanes: fc.integer({ min: 1, max: 2 }),
  deaths: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 5 }),
});

export function deathCaseSteps(c: DeathCase): string[] {
  return [
    `${c.entries} deposit(s) in the stream; workers with batch ${c.batch}, ${c.lanes === 1 ? 'one at a time' : `${c.lanes} at once`}`,
    ...(c.deaths.length === 0 ? ['no worker dies'] : c.deaths.map((k, i) => `the ${ordinal(i + 1)} worker started ${k === 0 ? 'does not die' : `dies at its ${ordinal(k)} step (a call to the stream or a commit)`}`)),
    'then workers run until every entry is applied and acked',
  ];
}

/**
 * Runs one death case: every deposit applied exactly once, every entry acked, and no entry claimed
 * from another consumer before it was idle for claimIdleMs.
 */
export async function runDeathCase(c: DeathCase): Promise<void> {
  const world = await World.create(c.entries);
  let i = 0;
  const plans = () => {
    const k = c.deaths[i++] ?? 0;
    return k === 0 ? noFaults : crashAtStep(k);
  };
  // A shorter stall than other checks': a wrong program fails many cases while fast-check shrinks.
  await world.runUntilSettled(plans, { lanes: c.lanes, worker: { batch: c.batch, ...FAR_LIMIT }, stallMs: 1_000 });
  expect(world.earlyClaims, `entries claimed before they were idle for claimIdleMs (${world.story()})`).toEqual([]);
  await world.expectExactlyOnce();
}
