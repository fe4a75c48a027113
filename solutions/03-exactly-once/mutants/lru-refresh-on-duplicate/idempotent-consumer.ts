/**
 * Exercise 03: turn at-least-once delivery into exactly-once processing by remembering ids.
 * @module
 */

export interface IdempotentConsumerOptions {
  windowSize?: number;
}

export class IdempotentConsumer<T = unknown> {
  private readonly seen = new Set<string>();
  private readonly windowSize: number;

  constructor(
    private readonly apply: (payload: T, id: string) => void,
    options: IdempotentConsumerOptions = {},
  ) {
    const size = options.windowSize ?? 1000;
    if (!(size >= 1)) throw new RangeError(`windowSize must be at least 1, got ${size}`);
    this.windowSize = size;
  }

  get remembered(): number {
    return this.seen.size;
  }

  handle(id: string, payload: T): boolean {
    if (this.seen.has(id)) {
      this.seen.delete(id);
      this.seen.add(id); // keep ids that are still being resent fresh
      return false;
    }
    this.apply(payload, id);
    this.seen.add(id);
    while (this.seen.size > this.windowSize) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }
}
