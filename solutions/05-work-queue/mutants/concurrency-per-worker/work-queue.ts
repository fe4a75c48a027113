/**
 * Exercise 05: an in-memory work queue with competing workers, retries and a dead-letter list.
 * @module
 */

export interface QueuedMessage<T> {
  readonly id: string;
  readonly data: T;
  readonly attempt: number;
}

export type Worker<T> = (message: QueuedMessage<T>) => void | Promise<void>;

export interface DeadLetter<T> {
  readonly id: string;
  readonly data: T;
  readonly attempts: number;
  readonly error: unknown;
}

export interface WorkQueueOptions {
  concurrency?: number;
  maxAttempts?: number;
}

interface Entry<T> {
  id: string;
  data: T;
  attempts: number;
}

export class WorkQueue<T> {
  readonly deadLetters: DeadLetter<T>[] = [];
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly waiting: Entry<T>[] = [];
  private readonly workers: Worker<T>[] = [];
  private readonly busy: number[] = [];
  private nextWorker = 0;
  private inProgress = 0;
  private nextId = 1;
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

  get size(): number {
    return this.waiting.length;
  }

  enqueue(data: T): string {
    const id = `msg-${this.nextId++}`;
    this.waiting.push({ id, data, attempts: 0 });
    this.schedule();
    return id;
  }

  process(worker: Worker<T>): void {
    this.workers.push(worker);
    this.busy.push(0);
    this.schedule();
  }

  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.inProgress === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      const index = this.freeWorker();
      if (index === undefined) break;
      const entry = this.waiting.shift()!;
      void this.run(index, entry);
    }
    this.checkIdle();
  }

  /** The next worker (round robin) that has fewer than `concurrency` messages in hand. */
  private freeWorker(): number | undefined {
    for (let i = 0; i < this.workers.length; i++) {
      const index = (this.nextWorker + i) % this.workers.length;
      if (this.busy[index] < this.concurrency) {
        this.nextWorker = (index + 1) % this.workers.length;
        return index;
      }
    }
    return undefined;
  }

  private async run(index: number, entry: Entry<T>): Promise<void> {
    const worker = this.workers[index];
    entry.attempts++;
    this.inProgress++;
    this.busy[index]++;
    try {
      await worker({ id: entry.id, data: entry.data, attempt: entry.attempts });
    } catch (error) {
      if (entry.attempts >= this.maxAttempts) {
        this.deadLetters.push({ id: entry.id, data: entry.data, attempts: entry.attempts, error });
      } else {
        this.waiting.push(entry);
      }
    } finally {
      this.inProgress--;
      this.busy[index]--;

      this.pump();
    }
  }

  private checkIdle(): void {
    if (this.waiting.length === 0 && this.inProgress === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
