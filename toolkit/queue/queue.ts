/** A message as the queue hands it to a worker. */
export interface QueuedMessage<T> {
  /** Unique within its queue: `<queue name>-1`, `<queue name>-2`, ... (deterministic, so runs repeat). */
  readonly id: string;
  readonly data: T;
  /** The queue clock's time when the message was published. */
  readonly publishedAt: number;
  /** Ties a reply, a log line or a result back to the request it belongs to. */
  readonly correlationId?: string;
  /** Where the consumer should send a reply, for request-reply over queues. */
  readonly replyTo?: string;
}

/** Optional headers of {@link MessageQueue.publish}. */
export interface PublishOptions {
  correlationId?: string;
  replyTo?: string;
}

/** Processes one message; the worker takes the next one when the returned promise settles. */
export type Worker<T> = (message: QueuedMessage<T>) => unknown;

/** A message whose worker threw, and what it threw. */
export interface FailedMessage<T> {
  message: QueuedMessage<T>;
  error: unknown;
}

/** Counters of a {@link MessageQueue}. */
export interface QueueStats {
  published: number;
  /** Messages whose worker finished without throwing. */
  processed: number;
  /** Messages whose worker threw (see {@link MessageQueue.failures}). */
  failed: number;
  /** The most messages ever waiting at once: how deep the buffer got. */
  maxWaiting: number;
}

/** Options of a {@link MessageQueue}. */
export interface MessageQueueOptions {
  /** Prefix of message ids. Default `msg`. */
  name?: string;
  /**
   * Where `publishedAt` comes from: pass a netsim `VirtualClock` to run in virtual time.
   * Default: `performance.now()`.
   */
  clock?: { now(): number };
}

interface WorkerSlot<T> {
  handle: Worker<T>;
  busy: boolean;
  stopped: boolean;
}

/**
 * An in-process, first-in first-out message queue with competing workers.
 *
 * `publish` stores the message and returns its id **at once**: no worker runs before the
 * publisher's code has moved on. Each worker takes one message at a time, so adding workers adds
 * parallel capacity. Messages published while no worker is free wait in the buffer.
 *
 * Deliberately small: a message whose worker throws is recorded in {@link failures} and not
 * retried, and everything lives in memory (a crash loses it). Real brokers, and exercise
 * `05-work-queue`, add retries, dead letters and concurrency limits.
 *
 * @example
 * ```ts
 * const queue = new MessageQueue<string>();
 * queue.addWorker(async (m) => console.log('working on', m.data));
 * const id = queue.publish('send the welcome email'); // returns before the worker runs
 * await queue.drained();
 * ```
 */
export class MessageQueue<T = unknown> {
  /** Messages whose worker threw, oldest first. */
  readonly failures: FailedMessage<T>[] = [];
  private readonly name: string;
  private readonly clock: { now(): number };
  private readonly buffer: QueuedMessage<T>[] = [];
  private readonly workers: WorkerSlot<T>[] = [];
  private readonly counters: QueueStats = { published: 0, processed: 0, failed: 0, maxWaiting: 0 };
  private dispatchScheduled = false;
  private waitingForDrain: (() => void)[] = [];

  constructor(options: MessageQueueOptions = {}) {
    this.name = options.name ?? 'msg';
    this.clock = options.clock ?? performance;
  }

  /** Adds `data` to the end of the queue and returns the message id without waiting for any worker. */
  publish(data: T, options: PublishOptions = {}): string {
    const id = `${this.name}-${++this.counters.published}`;
    this.buffer.push({ id, data, publishedAt: this.clock.now(), ...options });
    this.counters.maxWaiting = Math.max(this.counters.maxWaiting, this.buffer.length);
    this.scheduleDispatch();
    return id;
  }

  /**
   * Adds a worker that competes with the others for messages.
   * @returns a function that stops this worker (after the message it is working on, if any).
   */
  addWorker(worker: Worker<T>): () => void {
    const slot: WorkerSlot<T> = { handle: worker, busy: false, stopped: false };
    this.workers.push(slot);
    this.scheduleDispatch();
    return () => {
      slot.stopped = true;
    };
  }

  /** Messages published and not yet taken by a worker. */
  get waiting(): number {
    return this.buffer.length;
  }

  /** Workers busy with a message right now. */
  get busy(): number {
    return this.workers.filter((w) => w.busy).length;
  }

  /** A snapshot of the counters. */
  get stats(): QueueStats {
    return { ...this.counters };
  }

  /** Resolves when no message is waiting and no worker is busy. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.waitingForDrain.push(resolve);
      this.scheduleDispatch();
    });
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // A microtask: after the publisher's synchronous code, before any timer.
    queueMicrotask(() => this.dispatch());
  }

  private dispatch(): void {
    this.dispatchScheduled = false;
    for (const worker of this.workers) {
      if (this.buffer.length === 0) break;
      if (!worker.busy && !worker.stopped) void this.run(worker, this.buffer.shift() as QueuedMessage<T>);
    }
    if (this.buffer.length === 0 && this.busy === 0) {
      const resolvers = this.waitingForDrain;
      this.waitingForDrain = [];
      for (const resolve of resolvers) resolve();
    }
  }

  private async run(worker: WorkerSlot<T>, message: QueuedMessage<T>): Promise<void> {
    worker.busy = true;
    try {
      await worker.handle(message);
      this.counters.processed++;
    } catch (error) {
      this.counters.failed++;
      this.failures.push({ message, error });
    } finally {
      worker.busy = false;
      this.scheduleDispatch();
    }
  }
}
