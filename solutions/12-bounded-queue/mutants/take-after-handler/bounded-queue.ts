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

export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  private readonly consumers: Consumer<T>[] = [];
  private lastServed = -1;
  private readonly droppedItems: T[] = [];
  private readonly capacity: number;
  private readonly overflow: Overflow;
  private delivering = false;

  constructor(options: BoundedQueueOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity <= 0) {
      throw new RangeError(`capacity must be a positive integer, got ${options.capacity}`);
    }
    this.capacity = options.capacity;
    this.overflow = options.overflow;
  }

  get dropped(): T[] {
    return this.droppedItems;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  publish(item: T): boolean {
    let accepted = true;
    if (this.length >= this.capacity) {
      if (this.overflow === 'drop-newest') {
        this.droppedItems.push(item);
        accepted = false;
      } else {
        this.droppedItems.push(this.take());
        this.items.push(item);
      }
    } else {
      this.items.push(item);
    }
    this.deliver();
    return accepted;
  }

  consume(prefetch: number, handler: (delivery: QueueDelivery<T>) => void): void {
    if (!Number.isInteger(prefetch) || prefetch <= 0) {
      throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    }
    this.consumers.push({ credits: prefetch, handler });
    this.deliver();
  }

  private take(): T {
    const item = this.items[this.head];
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  private findConsumer(): number {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.lastServed + 1 + i) % n;
      if (this.consumers[idx].credits > 0) return idx;
    }
    return -1;
  }

  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.length > 0) {
        const idx = this.findConsumer();
        if (idx < 0) break;
        const consumer = this.consumers[idx];
        const item = this.items[this.head];
        this.lastServed = idx;
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
        this.take();
        consumer.credits--;
      }
    } finally {
      this.delivering = false;
    }
  }
}
