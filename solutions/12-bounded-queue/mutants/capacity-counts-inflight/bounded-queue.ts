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
  prefetch: number;
  credits: number;
  handler: (delivery: QueueDelivery<T>) => void;
}

const isPositiveInteger = (n: number) => Number.isInteger(n) && n > 0;

export class BoundedQueue<T> {
  private readonly capacity: number;
  private readonly overflow: Overflow;
  private readonly items: T[] = [];
  private readonly droppedItems: T[] = [];
  private readonly consumers: Consumer<T>[] = [];
  /** Index of the consumer to look at first for the next delivery. */
  private nextConsumer = 0;

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
    return this.items.length;
  }

  publish(item: T): boolean {
    let accepted = true;
    if (this.items.length + this.unacked() >= this.capacity) {
      if (this.overflow === 'drop-newest') {
        this.droppedItems.push(item);
        accepted = false;
      } else {
        const oldest = this.items.shift();
        if (oldest !== undefined) this.droppedItems.push(oldest);
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
    this.consumers.push({ prefetch, credits: prefetch, handler });
    this.deliver();
  }

  /** Items handed to consumers and not yet acked. */
  private unacked(): number {
    let n = 0;
    for (const c of this.consumers) n += c.prefetch - c.credits;
    return n;
  }

  private deliver(): void {
    while (this.items.length > 0) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      const item = this.items.shift() as T;
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
  }

  /** The next consumer with credit, round-robin, starting after the one served last. */
  private pickConsumer(): Consumer<T> | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const index = (this.nextConsumer + i) % n;
      const consumer = this.consumers[index];
      if (consumer.credits > 0) {
        this.nextConsumer = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }
}
