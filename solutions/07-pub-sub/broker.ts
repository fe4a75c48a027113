/**
 * Exercise 07: a publish-subscribe broker in memory.
 * @module
 */

/** Receives the messages of one topic. May be async; throwing or rejecting is reported, not fatal. */
export type Subscriber<T = unknown> = (message: T, topic: string) => void | Promise<void>;

/** Options of a {@link Broker}. */
export interface BrokerOptions {
  /** Called with whatever a subscriber throws or rejects with. Default: ignore it. */
  onError?: (error: unknown, topic: string) => void;
}

/**
 * Topics with any number of subscribers. `publish` hands a message to every subscriber of its
 * topic, each on its own: a slow subscriber does not delay the others, a failing one does not
 * stop them, and the publisher never waits for any of them.
 */
export class Broker {
  private readonly topics = new Map<string, Set<Subscriber<unknown>>>();
  private readonly onError: (error: unknown, topic: string) => void;
  private readonly inProgress = new Set<Promise<void>>();

  constructor(options: BrokerOptions = {}) {
    this.onError = options.onError ?? (() => {});
  }

  /**
   * Adds `subscriber` to `topic`.
   * @returns a function that removes this subscription (and only this one).
   */
  subscribe<T>(topic: string, subscriber: Subscriber<T>): () => void {
    let subscribers = this.topics.get(topic);
    if (!subscribers) {
      subscribers = new Set();
      this.topics.set(topic, subscribers);
    }
    // Wrap it, so that subscribing the same function twice gives two subscriptions.
    const subscription: Subscriber<unknown> = (message, t) => subscriber(message as T, t);
    subscribers.add(subscription);
    return () => {
      subscribers.delete(subscription);
      if (subscribers.size === 0 && this.topics.get(topic) === subscribers) this.topics.delete(topic);
    };
  }

  /**
   * Publishes `message` on `topic`. Returns at once; subscribers run afterwards.
   * @returns how many subscribers the message is going to.
   */
  publish<T>(topic: string, message: T): number {
    const subscribers = [...(this.topics.get(topic) ?? [])];
    for (const subscriber of subscribers) this.deliver(subscriber, topic, message);
    return subscribers.length;
  }

  /** Resolves once every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.inProgress.size > 0) await Promise.all(this.inProgress);
  }

  private deliver(subscriber: Subscriber<unknown>, topic: string, message: unknown): void {
    const delivery = Promise.resolve()
      .then(() => subscriber(message, topic))
      .catch((error: unknown) => this.report(error, topic))
      .finally(() => this.inProgress.delete(delivery));
    this.inProgress.add(delivery);
  }

  private report(error: unknown, topic: string): void {
    try {
      this.onError(error, topic);
    } catch {
      // An error handler that throws must not break delivery either.
    }
  }
}
