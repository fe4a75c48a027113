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
  private readonly windowSize: number;
  /** Applied ids, oldest first (a Set iterates in insertion order). */
  private readonly applied = new Set<string>();

  constructor(
    private readonly apply: (payload: T, id: string) => void,
    options: IdempotentConsumerOptions = {},
  ) {
    const windowSize = options.windowSize ?? 1000;
    if (!(windowSize >= 1)) throw new RangeError(`windowSize must be at least 1, got ${windowSize}`);
    this.windowSize = windowSize;
  }

  get remembered(): number {
    return this.applied.size;
  }

  handle(id: string, payload: T): boolean {
    if (this.applied.has(id)) return false;
    // hand apply its own copy, so an effect that mutates it cannot change what the sender holds
    this.apply(structuredClone(payload), id);
    this.applied.add(id);
    while (this.applied.size > this.windowSize) {
      const oldest = this.applied.values().next().value as string;
      this.applied.delete(oldest);
    }
    return true;
  }
}
