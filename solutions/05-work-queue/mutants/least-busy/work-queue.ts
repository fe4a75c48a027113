/**
 * Exercise 05: an in-memory work queue with competing workers, retries and a dead-letter list.
 * Read README.md first. Run `npm run grade -- 05` to check your work.
 * @module
 */

/** A message as a worker sees it. */
export interface QueuedMessage<T> {
  /** The id `enqueue` returned. */
  readonly id: string;
  readonly data: T;
  /** 1 on the first delivery, 2 on the first retry, and so on. */
  readonly attempt: number;
}

/** Handles one message; throwing (or rejecting) means "failed, try again later". */
export type Worker<T> = (message: QueuedMessage<T>) => void | Promise<void>;

/** A message that failed `maxAttempts` times. */
export interface DeadLetter<T> {
  readonly id: string;
  readonly data: T;
  /** How many times a worker tried it (= maxAttempts). */
  readonly attempts: number;
  /** What the last attempt threw. */
  readonly error: unknown;
}

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** The most messages being worked on at the same time, across all workers. Default 1. */
  concurrency?: number;
  /** How many times a message is tried before it goes to `deadLetters`. Default 3. */
  maxAttempts?: number;
}

/**
 * A queue of messages shared by competing workers: each message goes to one worker, at most
 * `concurrency` messages are in progress at once, a failed message is tried again (at the back
 * of the queue) until `maxAttempts`, then kept in {@link deadLetters}.
 */
/** A message inside the queue. */
interface Entry<T> {
  readonly id: string;
  readonly data: T;
  /** Attempts made so far. */
  attempts: number;
}

/** A registered worker and how many messages it has in progress. */
interface WorkerSlot<T> {
  readonly handle: Worker<T>;
  active: number;
}

/**
 * A queue of messages shared by competing workers: each message goes to one worker, at most
 * `concurrency` messages are in progress at once, a failed message is tried again (at the back
 * of the queue) until `maxAttempts`, then kept in {@link deadLetters}.
 */
export class WorkQueue<T> {
  /** Messages that failed `maxAttempts` times, oldest first. */
  readonly deadLetters: DeadLetter<T>[] = [];

  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly waiting: Entry<T>[] = [];
  private readonly workers: WorkerSlot<T>[] = [];
  private active = 0;
  private nextId = 0;
  /** Where the search for a free worker starts next, so that work is spread. */
  private nextWorker = 0;
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];

  /** @throws RangeError when `concurrency` or `maxAttempts` is below 1. */
  constructor(options: WorkQueueOptions = {}) {
    const concurrency = options.concurrency ?? 1;
    const maxAttempts = options.maxAttempts ?? 3;
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
    if (!(maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1, got ${maxAttempts}`);
    this.concurrency = concurrency;
    this.maxAttempts = maxAttempts;
  }

  /** Messages waiting for a worker (not counting those in progress). */
  get size(): number {
    return this.waiting.length;
  }

  /** Adds a message and returns its id at once; no worker runs before `enqueue` returns. */
  enqueue(data: T): string {
    const id = `msg-${++this.nextId}`;
    this.waiting.push({ id, data, attempts: 0 });
    this.schedulePump();
    return id;
  }

  /** Registers a worker. Several workers compete for the messages. */
  process(worker: Worker<T>): void {
    this.workers.push({ handle: worker, active: 0 });
    this.schedulePump();
  }

  /** Resolves once no message is waiting or in progress. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.active === 0;
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** The least busy worker, searching round-robin from the one after the last chosen. */
  private pickWorker(): WorkerSlot<T> {
    let best = this.workers[this.nextWorker % this.workers.length];
    for (let i = 1; i < this.workers.length; i++) {
      const candidate = this.workers[(this.nextWorker + i) % this.workers.length];
      if (candidate.active < best.active) best = candidate;
    }
    this.nextWorker = (this.workers.indexOf(best) + 1) % this.workers.length;
    return best;
  }

  private pump(): void {
    while (this.workers.length > 0 && this.active < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry<T>;
      void this.run(this.pickWorker(), entry);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async run(worker: WorkerSlot<T>, entry: Entry<T>): Promise<void> {
    entry.attempts++;
    this.active++;
    worker.active++;
    try {
      await worker.handle({ id: entry.id, data: entry.data, attempt: entry.attempts });
    } catch (error) {
      if (entry.attempts >= this.maxAttempts) {
        this.deadLetters.push({ id: entry.id, data: entry.data, attempts: entry.attempts, error });
      } else {
        this.waiting.push(entry);
      }
    } finally {
      this.active--;
      worker.active--;
      this.pump();
    }
  }
}
