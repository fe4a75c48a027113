/**
 * Exercise 12: a bounded queue with an overflow policy, delivering to consumers against credits.
 * Read README.md first. Run `npm run grade -- 12` to check your work.
 * @module
 */

/** What a full queue does with one item too many. */
export type Overflow = 'drop-newest' | 'drop-oldest';

/** Options of a {@link BoundedQueue}. */
export interface BoundedQueueOptions {
  /** The most items waiting to be delivered (a positive integer). */
  capacity: number;
  /** `drop-newest`: refuse the item being published. `drop-oldest`: drop the item that has waited longest. */
  overflow: Overflow;
}

/** One item handed to a consumer; `ack` says it is done and returns the consumer's credit. */
export interface QueueDelivery<T> {
  readonly item: T;
  ack(): void;
}

/**
 * A FIFO queue that holds at most `capacity` waiting items and delivers them to consumers, each of
 * which has at most `prefetch` items unacknowledged (its credits). Deliveries happen at once, inside
 * `publish`, `consume` and `ack`, round-robin over the consumers with credit left.
 */
export class BoundedQueue<T> {
  constructor(options: BoundedQueueOptions) {
    throw new Error('TODO: BoundedQueue constructor (exercise 12)');
  }

  /** The items dropped by the overflow policy, in the order they were dropped. */
  get dropped(): T[] {
    throw new Error('TODO: BoundedQueue.dropped (exercise 12)');
  }

  /** Items waiting to be delivered (not those delivered and not yet acked). */
  get length(): number {
    throw new Error('TODO: BoundedQueue.length (exercise 12)');
  }

  /**
   * Adds `item` at the back of the queue; when the queue is full, the overflow policy decides.
   * @returns false when the item was refused (`drop-newest` on a full queue), else true.
   */
  publish(item: T): boolean {
    throw new Error('TODO: BoundedQueue.publish (exercise 12)');
  }

  /** Registers a consumer that may hold up to `prefetch` (a positive integer) unacknowledged items. */
  consume(prefetch: number, handler: (delivery: QueueDelivery<T>) => void): void {
    throw new Error('TODO: BoundedQueue.consume (exercise 12)');
  }
}
