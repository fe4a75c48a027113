/**
 * Exercise 05: an in-memory work queue with competing workers, retries and a dead-letter list.
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

interface Entry<T> {
  id: string;
  data: T;
  attempts: number;
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
  private readonly workers: Worker<T>[] = [];
  private nextWorker = 0;
  private active = 0;
  private nextId = 1;
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 1;
    this.maxAttempts = options.maxAttempts ?? 3;
    if (!(this.concurrency >= 1)) throw new RangeError(`concurrency must be >= 1, got ${this.concurrency}`);
    if (!(this.maxAttempts >= 1)) throw new RangeError(`maxAttempts must be >= 1, got ${this.maxAttempts}`);
  }

  /** Messages waiting for a worker (not counting those in progress). */
  get size(): number {
    return this.waiting.length;
  }

  /** Adds a message and returns its id at once; no worker runs before `enqueue` returns. */
  enqueue(data: T): string {
    const id = `msg-${this.nextId++}`;
    this.waiting.push({ id, data, attempts: 0 });
    this.schedulePump();
    return id;
  }

  /** Registers a worker. Several workers compete for the messages. */
  process(worker: Worker<T>): void {
    this.workers.push(worker);
    this.schedulePump();
  }

  /** Resolves once no message is waiting or in progress. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.active === 0;
  }

  /** Starts work in a microtask, so that `enqueue` and `process` never run a worker themselves. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.workers.length > 0 && this.active < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry<T>;
      const worker = this.workers[this.nextWorker++ % this.workers.length];
      this.active++;
      void this.run(worker, entry);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async run(worker: Worker<T>, entry: Entry<T>): Promise<void> {
    entry.attempts++;
    try {
      await worker({ id: entry.id, data: entry.data, attempt: entry.attempts });
    } catch (error) {
      if (entry.attempts >= this.maxAttempts) {
        this.deadLetters.push({ id: entry.id, data: entry.data, attempts: entry.attempts, error });
      } else {
        this.waiting.push(entry);
      }
    } finally {
      this.active--;
      this.pump();
    }
  }
}
