/**
 * Exercise 03: turn at-least-once delivery into exactly-once processing by remembering ids.
 * @module
 */

/** Options of an {@link IdempotentConsumer}. */
export interface IdempotentConsumerOptions {
  /** How many of the most recent message ids to remember, at least 1 (a `RangeError` otherwise). Default 1000. */
  windowSize?: number;
}

export class IdempotentConsumer<T = unknown> {
  private readonly seen = new Set<string>();
  private readonly windowSize: number;

  constructor(
    private readonly apply: (payload: T, id: string) => void,
    options: IdempotentConsumerOptions = {},
  ) {
    const windowSize = options.windowSize ?? 1000;
    if (Number.isNaN(windowSize) || windowSize <= 1) {
      throw new RangeError(`windowSize must be more than 1, got ${windowSize}`);

    }
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
