/**
 * Exercise 12: a bounded queue with an overflow policy, delivering to consumers against credits.
 * @module
 */

export type Overflow = 'drop-newest' | 'drop-oldest';

export interface BoundedQueueOptions {
  capacity: number;
  overflow: Overflow;
}

export interface QueueDelivery<T> {
  readonly item: T;
  ack(): void;
}

interface Consumer<T> {
  credits: number;
  handler: (delivery: QueueDelivery<T>) => void;
}

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0;

export class BoundedQueue<T> {
  private readonly capacity: number;
  private readonly overflow: Overflow;
  /** Waiting items are items[head], items[head + 1], ...: taking the oldest moves `head`, copies nothing. */
  private items: T[] = [];
  private head = 0;
  private readonly droppedItems: T[] = [];
  private readonly consumers: Consumer<T>[] = [];
  /** Index of the consumer served last (-1 before the first delivery). */
  private lastServed = -1;
  /** True while `deliver` runs: an ack from inside a handler lets the running loop go on. */
  private delivering = false;

  constructor(options: BoundedQueueOptions) {
    if (!isPositiveInteger(options.capacity)) throw new RangeError(`capacity must be a positive integer, got ${options.capacity}`);
    if (options.overflow !== 'drop-newest' && options.overflow !== 'drop-oldest') {
      throw new RangeError(`unknown overflow policy ${String(options.overflow)}`);
    }
    this.capacity = options.capacity;
    this.overflow = options.overflow;
  }

  get dropped(): T[] {
    return this.droppedItems;
  }

  get length(): number {
    return this.waiting;
  }

  /** Items waiting in the queue. */
  private get waiting(): number {
    return this.items.length - this.head;
  }

  publish(item: T): boolean {
    let accepted = true;
    if (this.waiting >= this.capacity) {
      if (this.overflow === 'drop-newest') {
        this.droppedItems.push(item);
        accepted = false;
      } else {
        this.droppedItems.push(this.takeOldest());
        this.items.push(item);
      }
    } else {
      this.items.push(item);
    }
    this.deliver();
    return accepted;
  }

  consume(prefetch: number, handler: (delivery: QueueDelivery<T>) => void): void {
    if (!isPositiveInteger(prefetch)) throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    this.consumers.push({ credits: prefetch, handler });
    this.deliver();
  }

  private takeOldest(): T {
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.waiting > 0) {
        const consumer = this.pickConsumer();
        if (!consumer) return;
        const item = this.takeOldest();
        consumer.credits--;
        let acked = false;
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

  /** The next consumer with credit, round-robin, starting after the one served last. */
  private pickConsumer(): Consumer<T> | undefined {
    const n = this.consumers.length;
    for (let i = 1; i <= n; i++) {
      const index = (this.lastServed + i) % n;
      const consumer = this.consumers[index];
      if (consumer.credits > 0) {
        this.lastServed = (this.lastServed + 1) % n; // next turn
        return consumer;
      }
    }
    return undefined;
  }
}
