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

interface WorkerSlot<T> {
  worker: Worker<T>;
  busy: number;
}

export class WorkQueue<T> {
  /** Messages that failed `maxAttempts` times, oldest first. */
  readonly deadLetters: DeadLetter<T>[] = [];
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly waiting: Entry<T>[] = [];
  private readonly workers: WorkerSlot<T>[] = [];
  private inProgress = 0;
  private next = 0;
  private idleWaiters: (() => void)[] = [];
  private pumpScheduled = false;

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

  enqueue(data: T): string {
    const id = `${Date.now()}-${this.waiting.length}`;
    this.waiting.push({ id, data, attempts: 0 });
    this.schedulePump();
    return id;
  }

  process(worker: Worker<T>): void {
    this.workers.push({ worker, busy: 0 });
    this.schedulePump();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.inProgress === 0;
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pickWorker(): WorkerSlot<T> {
    // round-robin: consecutive messages go to different workers
    const slot = this.workers[this.next % this.workers.length];
    this.next = (this.next + 1) % this.workers.length;
    return slot;
  }

  private pump(): void {
    while (this.workers.length > 0 && this.inProgress < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      const slot = this.pickWorker();
      void this.run(entry, slot);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run(entry: Entry<T>, slot: WorkerSlot<T>): Promise<void> {
    entry.attempts++;
    this.inProgress++;
    slot.busy++;
    try {
      await slot.worker({ id: entry.id, data: entry.data, attempt: entry.attempts });
    } catch (error) {
      if (entry.attempts >= this.maxAttempts) {
        this.deadLetters.push({ id: entry.id, data: entry.data, attempts: entry.attempts, error });
      } else {
        this.waiting.push(entry);
      }
    } finally {
      this.inProgress--;
      slot.busy--;
      this.pump();
    }
  }
}
