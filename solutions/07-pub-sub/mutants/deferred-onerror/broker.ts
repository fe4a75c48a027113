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

/** One call of `subscribe`: its own object, even for a function subscribed twice. */
interface Subscription {
  readonly subscriber: Subscriber<never>;
}

/**
 * Topics with any number of subscribers. `publish` hands a message to every subscriber of its
 * topic, each on its own: a slow subscriber does not delay the others, a failing one does not
 * stop them, and the publisher never waits for any of them.
 */
export class Broker {
  private readonly onError: (error: unknown, topic: string) => void;
  private readonly topics = new Map<string, Set<Subscription>>();
  /** Deliveries started and not yet finished; none of them ever rejects. */
  private readonly inProgress = new Set<Promise<void>>();

  constructor(options: BrokerOptions = {}) {
    this.onError = options.onError ?? (() => {});
  }

  /**
   * Adds `subscriber` to `topic`.
   * @returns a function that removes this subscription (and only this one).
   */
  subscribe<T>(topic: string, subscriber: Subscriber<T>): () => void {
    let subscriptions = this.topics.get(topic);
    if (!subscriptions) {
      subscriptions = new Set();
      this.topics.set(topic, subscriptions);
    }
    const subscription: Subscription = { subscriber: subscriber };
    subscriptions.add(subscription);
    const owner = subscriptions;
    return () => {
      if (!owner.delete(subscription)) return;
      if (owner.size === 0 && this.topics.get(topic) === owner) this.topics.delete(topic);
    };
  }

  /**
   * Publishes `message` on `topic`. Returns at once; subscribers run afterwards.
   * @returns how many subscribers the message is going to.
   */
  publish<T>(topic: string, message: T): number {
    const subscriptions = this.topics.get(topic);
    if (!subscriptions) return 0;
    const targets = [...subscriptions];
    for (const { subscriber } of targets) {
      const delivery: Promise<void> = Promise.resolve()
        .then(() => (subscriber as Subscriber<T>)(message, topic))
        .catch((error: unknown) => this.report(error, topic))
        .finally(() => {
          this.inProgress.delete(delivery);
        });
      this.inProgress.add(delivery);
    }
    return targets.length;
  }

  /** Resolves once every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.inProgress.size > 0) {
      await Promise.all([...this.inProgress]);
    }
  }

  private report(error: unknown, topic: string): void {
    // report on a later turn, so that an onError that throws cannot break a delivery
    setTimeout(() => this.onError(error, topic), 0);
  }
}
