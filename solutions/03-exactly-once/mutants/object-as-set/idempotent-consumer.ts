/**
 * Exercise 03: turn at-least-once delivery into exactly-once processing by remembering ids.
 * Read README.md first. Run `npm run grade -- 03` to check your work.
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
  /** Applied ids, oldest first (a Set iterates in insertion order). */
  private readonly seen: Record<string, true> = {};
  /** Applied ids, oldest first. */
  private readonly order: string[] = [];

  /**
   * @param apply performs the message's effect. If it throws, the id is not remembered, so a
   *   later copy of the message is applied again (the effect did not happen).
   */
  constructor(
    private readonly apply: (payload: T, id: string) => void,
    options: IdempotentConsumerOptions = {},
  ) {
    const windowSize = options.windowSize ?? 1000;
    if (Number.isNaN(windowSize) || windowSize < 1) {
      throw new RangeError(`windowSize must be at least 1, got ${windowSize}`);
    }
    this.windowSize = windowSize;
  }

  /** How many ids are remembered now (at most `windowSize`). */
  get remembered(): number {
    return this.order.length;
  }

  /**
   * Applies the message unless its id was applied already.
   * @returns true if the effect was applied now, false for a duplicate.
   */
  handle(id: string, payload: T): boolean {
    if (id in this.seen) return false;
    this.apply(payload, id);
    this.seen[id] = true;
    this.order.push(id);
    while (this.order.length > this.windowSize) {
      const oldest = this.order.shift() as string;
      delete this.seen[oldest];
    }
    return true;
  }
}
