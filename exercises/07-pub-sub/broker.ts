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

/**
 * Topics with any number of subscribers. `publish` hands a message to every subscriber of its
 * topic, each on its own: a slow subscriber does not delay the others, a failing one does not
 * stop them, and the publisher never waits for any of them.
 */
export class Broker {
  constructor(options: BrokerOptions = {}) {
    throw new Error('TODO: Broker constructor (exercise 07)');
  }

  /**
   * Adds `subscriber` to `topic`.
   * @returns a function that removes this subscription (and only this one).
   */
  subscribe<T>(topic: string, subscriber: Subscriber<T>): () => void {
    throw new Error('TODO: Broker.subscribe (exercise 07)');
  }

  /**
   * Publishes `message` on `topic`. Returns at once; subscribers run afterwards.
   * @returns how many subscribers the message is going to.
   */
  publish<T>(topic: string, message: T): number {
    throw new Error('TODO: Broker.publish (exercise 07)');
  }

  /** Resolves once every delivery started so far has finished. */
  idle(): Promise<void> {
    throw new Error('TODO: Broker.idle (exercise 07)');
  }
}
