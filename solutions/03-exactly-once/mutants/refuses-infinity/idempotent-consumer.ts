/**
 * Exercise 03: turn at-least-once delivery into exactly-once processing by remembering ids.
 * @module
 */

export interface IdempotentConsumerOptions {
  windowSize?: number;
}

export class IdempotentConsumer<T = unknown> {
  private readonly apply: (payload: T, id: string) => void;
  private readonly windowSize: number;
  private readonly seen = new Set<string>();

  constructor(apply: (payload: T, id: string) => void, options: IdempotentConsumerOptions = {}) {
    const windowSize = options.windowSize ?? 1000;
    if (!Number.isSafeInteger(Math.floor(windowSize)) || windowSize < 1) throw new RangeError(`windowSize must be at least 1, got ${windowSize}`);
    this.apply = apply;
    this.windowSize = windowSize;
  }

  get remembered(): number {
    return this.seen.size;
  }

  handle(id: string, payload: T): boolean {
    if (this.seen.has(id)) return false;
    this.apply(payload, id);
    this.seen.add(id);
    while (this.seen.size > this.windowSize) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }
}
