/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * Read README.md first. Run `npm run grade -- 02` to check your work.
 * @module
 */
import type { Endpoint } from '../../toolkit/netsim';

/** Options of a {@link ReliableSender}. */
export interface ReliableSenderOptions {
  /** Wait this long for an ack before sending again, in ms of virtual time. Default 100. */
  retransmitMs?: number;
  /** Transmissions of one message before giving up, the first one included. Default 10. */
  maxAttempts?: number;
}

/** `send` gave up: no ack after `attempts` transmissions. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly messageId: string,
    readonly attempts: number,
  ) {
    super(`message ${messageId} not acknowledged after ${attempts} transmissions`);
  }
}

/**
 * Sends messages with at-least-once delivery: each message gets an id and is sent again every
 * `retransmitMs` until an ack with that id comes back, or `maxAttempts` transmissions went
 * unanswered. Takes over the endpoint's message handler (to hear acks).
 */
export class ReliableSender {
  constructor(endpoint: Endpoint, options: ReliableSenderOptions = {}) {
    throw new Error('TODO: ReliableSender constructor (exercise 02)');
  }

  /** Messages sent but not yet acknowledged nor given up. */
  get inFlight(): number {
    throw new Error('TODO: ReliableSender.inFlight (exercise 02)');
  }

  /**
   * Sends `payload` to node `to`.
   * @returns a promise that resolves when the receiver has acknowledged the message.
   * @throws DeliveryError (as a rejection) after `maxAttempts` transmissions without an ack.
   */
  send(to: string, payload: unknown): Promise<void> {
    throw new Error('TODO: ReliableSender.send (exercise 02)');
  }
}
