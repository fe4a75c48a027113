/**
 * Exercise 11: hand on each sender's messages in sequence, exactly once, with a bounded buffer.
 * Read README.md first. Run `npm run grade -- 11` to check your work.
 * @module
 */
import type { Endpoint } from '../../toolkit/netsim';

/** What a sender puts on the wire: its messages are numbered 1, 2, 3, ... */
export interface Sequenced {
  readonly seq: number;
  readonly body: unknown;
}

/** What the receiver answers for a message it has taken care of. */
export interface Ack {
  readonly ack: number;
}

/** A message as the receiver hands it on. */
export interface Delivery {
  readonly from: string;
  readonly seq: number;
  readonly body: unknown;
}

/** Options of an {@link OrderedReceiver}. */
export interface OrderedReceiverOptions {
  /** The most early messages held per sender, waiting for a gap before them to fill. Default 16. */
  maxBuffered?: number;
}

/**
 * Hands on the messages of every sender in the order of their sequence numbers, each exactly once.
 * Early messages wait in a buffer of at most `maxBuffered` per sender; a message that does not fit
 * is refused (not acknowledged), and the sender's retransmission brings it back later. Takes over
 * the endpoint's message handler.
 */
export class OrderedReceiver {
  constructor(endpoint: Endpoint, onDeliver: (delivery: Delivery) => void, options: OrderedReceiverOptions = {}) {
    throw new Error('TODO: OrderedReceiver constructor (exercise 11)');
  }

  /** Messages held back, waiting for a gap to fill, over all senders. */
  get buffered(): number {
    throw new Error('TODO: OrderedReceiver.buffered (exercise 11)');
  }
}
