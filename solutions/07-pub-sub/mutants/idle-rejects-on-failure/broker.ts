/**
 * Exercise 07: a publish-subscribe broker in memory.
 * @module
 */

export type Subscriber<T = unknown> = (message: T, topic: string) => void | Promise<void>;

export interface BrokerOptions {
  onError?: (error: unknown, topic: string) => void;
}

interface Subscription {
  readonly fn: Subscriber<never>;
}

export class Broker {
  private readonly topics = new Map<string, Set<Subscription>>();
  private readonly inProgress = new Set<Promise<void>>();
  private readonly onError: (error: unknown, topic: string) => void;

  constructor(options: BrokerOptions = {}) {
    this.onError = options.onError ?? (() => {});
  }

  subscribe<T>(topic: string, subscriber: Subscriber<T>): () => void {
    let set = this.topics.get(topic);
    if (!set) {
      set = new Set();
      this.topics.set(topic, set);
    }
    const subscription: Subscription = { fn: subscriber };
    set.add(subscription);
    const mySet = set;
    return () => {
      mySet.delete(subscription);
      if (mySet.size === 0 && this.topics.get(topic) === mySet) this.topics.delete(topic);
    };
  }

  publish<T>(topic: string, message: T): number {
    const set = this.topics.get(topic);
    if (!set) return 0;
    const subscribers = [...set];
    for (const sub of subscribers) {
      const fn = sub.fn as unknown as Subscriber<T>;
      const delivery: Promise<void> = Promise.resolve().then(() => fn(message, topic));
      delivery.catch((error: unknown) => {
        try {
          this.onError(error, topic);
        } catch {
          // an onError that throws must not become an unhandled rejection
        }
      });
      const done = (): void => {
        this.inProgress.delete(delivery);
      };
      delivery.then(done, done);
      this.inProgress.add(delivery);

    }
    return subscribers.length;
  }

  async idle(): Promise<void> {
    while (this.inProgress.size > 0) {
      await Promise.all([...this.inProgress]);
    }
  }
}
