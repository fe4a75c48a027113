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
export class WorkQueue<T> {
  /** Messages that failed `maxAttempts` times, oldest first. */
  readonly deadLetters: DeadLetter<T>[] = [];

  /** @throws RangeError when `concurrency` or `maxAttempts` is below 1. */
  constructor(options: WorkQueueOptions = {}) {
    throw new Error('TODO: WorkQueue constructor (exercise 05)');
  }

  /** Messages waiting for a worker (not counting those in progress). */
  get size(): number {
    throw new Error('TODO: WorkQueue.size (exercise 05)');
  }

  /** Adds a message and returns its id at once; no worker runs before `enqueue` returns. */
  enqueue(data: T): string {
    throw new Error('TODO: WorkQueue.enqueue (exercise 05)');
  }

  /** Registers a worker. Several workers compete for the messages. */
  process(worker: Worker<T>): void {
    throw new Error('TODO: WorkQueue.process (exercise 05)');
  }

  /** Resolves once no message is waiting or in progress. */
  idle(): Promise<void> {
    throw new Error('TODO: WorkQueue.idle (exercise 05)');
  }
}
