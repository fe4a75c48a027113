/**
 * Exercise 03: turn at-least-once delivery into exactly-once processing by remembering ids.
 * @module
 */

/** Options of an {@link IdempotentConsumer}. */
export interface IdempotentConsumerOptions {
  /** How many of the most recent message ids to remember, at least 1 (a `RangeError` otherwise). Default 1000. */
  windowSize?: number;
}

/**
 * Applies each message's effect once, however often the message arrives, as long as its copies
 * arrive while its id is among the last `windowSize` ids applied. Older ids are forgotten, so
 * memory stays bounded.
 */
export class IdempotentConsumer<T = unknown> {
  private readonly windowSize: number;
  /** Ids applied, oldest first: a Set iterates in insertion order. */
  private readonly seen = new Set<string>();

  /**
   * @param apply performs the message's effect. If it throws, the id is not remembered, so a
   *   later copy of the message is applied again (the effect did not happen).
   */
  constructor(
    private readonly apply: (payload: T, id: string) => void,
    options: IdempotentConsumerOptions = {},
  ) {
    this.windowSize = options.windowSize ?? 1000;
    if (!(this.windowSize >= 1)) throw new RangeError(`windowSize must be >= 1, got ${this.windowSize}`);
  }

  /** How many ids are remembered now (at most `windowSize`). */
  get remembered(): number {
    return this.seen.size;
  }

  /**
   * Applies the message unless its id was applied already.
   * @returns true if the effect was applied now, false for a duplicate.
   */
  handle(id: string, payload: T): boolean {
    if (this.seen.has(id)) return false;
    this.apply(payload, id);
    this.seen.add(id);
    if (this.seen.size > this.windowSize) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }
}
