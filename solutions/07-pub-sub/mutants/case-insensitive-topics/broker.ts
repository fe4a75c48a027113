/**
 * Exercise 07: a publish-subscribe broker in memory.
 * Read README.md first. Run `npm run grade -- 07` to check your work.
 * @module
 */

/** Receives the messages of one topic. May be async; throwing or rejecting is reported, not fatal. */
export type Subscriber<T = unknown> = (message: T, topic: string) => void | Promise<void>;

/** Options of a {@link Broker}. */
export interface BrokerOptions {
  /** Called with whatever a subscriber throws or rejects with. Default: ignore it. */
  onError?: (error: unknown, topic: string) => void;
}

interface Subscription {
  readonly fn: Subscriber<never>;
}

/**
 * Topics with any number of subscribers. `publish` hands a message to every subscriber of its
 * topic, each on its own: a slow subscriber does not delay the others, a failing one does not
 * stop them, and the publisher never waits for any of them.
 */
export class Broker {
  private readonly topics = new Map<string, Set<Subscription>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly onError: (error: unknown, topic: string) => void;

  constructor(options: BrokerOptions = {}) {
    this.onError = options.onError ?? (() => {});
  }

  subscribe<T>(topic: string, subscriber: Subscriber<T>): () => void {
    const key = topic.trim().toLowerCase();
    let set = this.topics.get(key);
    if (!set) {
      set = new Set();
      this.topics.set(key, set);
    }
    const subscription: Subscription = { fn: subscriber };
    set.add(subscription);
    const mySet = set;
    return () => {
      if (!mySet.delete(subscription)) return;
      if (mySet.size === 0 && this.topics.get(key) === mySet) this.topics.delete(key);
    };
  }

  publish<T>(topic: string, message: T): number {
    const set = this.topics.get(topic.trim().toLowerCase());
    if (!set) return 0;
    const targets = [...set];
    for (const subscription of targets) this.deliver(subscription, topic, message);
    return targets.length;
  }

  private deliver<T>(subscription: Subscription, topic: string, message: T): void {
    const fn = subscription.fn as Subscriber<T>;
    const delivery: Promise<void> = Promise.resolve()
      .then(() => fn(message, topic))
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            this.onError(error, topic);
          } catch {
            // an onError that throws must not become an unhandled rejection
          }
        },
      )
      .finally(() => {
        this.inFlight.delete(delivery);
      });
    this.inFlight.add(delivery);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }
}
