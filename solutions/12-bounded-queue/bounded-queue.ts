/**
 * Exercise 12: a bounded queue with an overflow policy, delivering to consumers against credits.
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

interface Consumer<T> {
  credits: number;
  handler: (delivery: QueueDelivery<T>) => void;
}

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0;

/**
 * A FIFO queue that holds at most `capacity` waiting items and delivers them to consumers, each of
 * which has at most `prefetch` items unacknowledged (its credits). Deliveries happen at once, inside
 * `publish`, `consume` and `ack`, round-robin over the consumers with credit left.
 */
export class BoundedQueue<T> {
  private readonly droppedItems: T[] = [];
  private readonly capacity: number;
  private readonly overflow: Overflow;
  private readonly waiting: T[] = [];
  private readonly consumers: Consumer<T>[] = [];
  /** Where the round-robin looks first for the next delivery. */
  private turn = 0;

  constructor(options: BoundedQueueOptions) {
    if (!isPositiveInteger(options.capacity)) throw new RangeError(`capacity must be a positive integer, got ${options.capacity}`);
    this.capacity = options.capacity;
    this.overflow = options.overflow;
  }

  /** The items dropped by the overflow policy, in the order they were dropped. */
  get dropped(): T[] {
    return this.droppedItems;
  }

  /** Items waiting to be delivered (not those delivered and not yet acked). */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Adds `item` at the back of the queue; when the queue is full, the overflow policy decides.
   * @returns false when the item was refused (`drop-newest` on a full queue), else true.
   */
  publish(item: T): boolean {
    if (this.waiting.length >= this.capacity) {
      if (this.overflow === 'drop-newest') {
        this.droppedItems.push(item);
        return false;
      }
      this.droppedItems.push(this.waiting.shift() as T);
    }
    this.waiting.push(item);
    this.deliver();
    return true;
  }

  /** Registers a consumer that may hold up to `prefetch` (a positive integer) unacknowledged items. */
  consume(prefetch: number, handler: (delivery: QueueDelivery<T>) => void): void {
    if (!isPositiveInteger(prefetch)) throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    this.consumers.push({ credits: prefetch, handler });
    this.deliver();
  }

  private deliver(): void {
    while (this.waiting.length > 0) {
      const consumer = this.nextWithCredit();
      if (!consumer) return;
      const item = this.waiting.shift() as T;
      consumer.credits--;
      let acked = false;
      // The consumer's state is updated before its handler runs: the handler may ack at once, and
      // that ack delivers again from inside this loop.
      consumer.handler({
        item,
        ack: () => {
          if (acked) return;
          acked = true;
          consumer.credits++;
          this.deliver();
        },
      });
    }
  }

  /** The next consumer in round-robin order that has credit left, if any; moves the turn past it. */
  private nextWithCredit(): Consumer<T> | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const index = (this.turn + i) % this.consumers.length;
      if (this.consumers[index].credits > 0) {
        this.turn = index + 1;
        return this.consumers[index];
      }
    }
    return undefined;
  }
}
