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
 * A FIFO that takes from the front in constant time: an array read from a moving head. (An array's
 * `shift()` copies the rest of the array each time, once it is large: 100,000 items waiting would
 * take seconds.) The part already taken is cut off once it is half the array.
 */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Takes the oldest item; call it only when `length > 0`. */
  take(): T {
    const item = this.items[this.head++];
    if (this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * A FIFO queue that holds at most `capacity` waiting items and delivers them to consumers, each of
 * which has at most `prefetch` items unacknowledged (its credits). Deliveries happen at once, inside
 * `publish`, `consume` and `ack`, round-robin over the consumers with credit left.
 */
export class BoundedQueue<T> {
  private readonly droppedItems: T[] = [];
  private readonly capacity: number;
  private readonly overflow: Overflow;
  private readonly waiting = new Fifo<T>();
  private readonly consumers: Consumer<T>[] = [];
  /** Where the round-robin looks first for the next delivery. */
  private turn = 0;
  /** Whether {@link deliver} is running (further down the stack). */
  private delivering = false;

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
      this.droppedItems.push(this.waiting.take());
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

  /**
   * Delivers while an item waits and a consumer has credit. A handler that acks at once calls this
   * again from inside the loop: that call only returns the credit and leaves the delivering to the
   * loop already running, so the stack stays flat however many items wait.
   */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.waiting.length > 0) {
        const consumer = this.nextWithCredit();
        if (!consumer) return;
        const item = this.waiting.take();
        consumer.credits--;
        let acked = false;
        // The consumer's state is updated before its handler runs: the handler may ack at once.
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
    } finally {
      this.delivering = false;
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
