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
  private inProgress = 0;
  private nextId = 1;
  private idlers: (() => void)[] = [];
  private scheduled = false;

  constructor(options: WorkQueueOptions = {}) {
    const concurrency = options.concurrency ?? 1;
    const maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
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
    return new Promise<void>((resolve) => this.idlers.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private lastWorker = -1;

  private pickWorker(): number {
    this.lastWorker = (this.lastWorker + 1) % this.workers.length;
    return this.lastWorker;
  }

  private pump(): void {
    while (this.workers.length > 0 && this.inProgress < this.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      const w = this.pickWorker();
      void this.run(entry, w);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.waiting.length === 0 && this.inProgress === 0 && this.idlers.length > 0) {
      const idlers = this.idlers;
      this.idlers = [];
      for (const r of idlers) r();
    }
  }

  private async run(entry: Entry<T>, w: number): Promise<void> {
    entry.attempts++;
    this.inProgress++;
    this.busy[w]++;
    const message: QueuedMessage<T> = Object.freeze({ id: entry.id, data: entry.data, attempt: entry.attempts });
    try {
      await this.workers[w](message);
    } catch (error) {
      if (entry.attempts >= this.maxAttempts) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.deadLetters.push({ id: entry.id, data: entry.data, attempts: entry.attempts, error: err });
      } else {
        this.waiting.push(entry);
      }
    } finally {
      this.inProgress--;
      this.busy[w]--;
      this.pump();
    }
  }
}
