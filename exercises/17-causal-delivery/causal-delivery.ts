/**
 * Exercise 17: causal broadcast among the members of a group, over a network that loses, duplicates
 * and reorders, with acknowledgements, retransmission and a bounded delivery buffer.
 * Read README.md first. Run `npm run grade -- 17` to check your work.
 * @module
 */
import type { Endpoint } from '../../toolkit/netsim';

/** Per member of the group, a count of that member's messages. */
export type VectorClock = Record<string, number>;

/** A broadcast as it travels: the sender's vector when it sent it, and the body. */
export interface Data {
  readonly kind: 'data';
  readonly vc: VectorClock;
  readonly body: unknown;
}

/** The answer to the sender of a copy taken care of: `seq` is the message's number, `vc[sender]`. */
export interface Ack {
  readonly kind: 'ack';
  readonly seq: number;
}

/** A message as the layer delivers it: `seq` is its number among `from`'s broadcasts (1, 2, 3, ...). */
export interface Delivery {
  readonly from: string;
  readonly seq: number;
  readonly body: unknown;
}

/** Options of a {@link CausalBroadcast}. */
export interface CausalBroadcastOptions {
  /** The most messages held at once, over all senders. Default 16. */
  maxBuffered?: number;
  /** How long after a copy to a member that has not acked it the next copy is sent (virtual ms). Default 50. */
  retransmitMs?: number;
}

/**
 * Causal broadcast: delivers every member's messages exactly once and never before a message they
 * causally depend on, holding at most `maxBuffered` early messages; retransmits its own messages to
 * each member until that member acks them. Takes over the endpoint's message handler.
 */
export class CausalBroadcast {
  constructor(endpoint: Endpoint, members: readonly string[], onDeliver: (delivery: Delivery) => void, options: CausalBroadcastOptions = {}) {
    throw new Error('TODO: CausalBroadcast constructor (exercise 17)');
  }

  /** Messages held back, waiting for a message they depend on. */
  get buffered(): number {
    throw new Error('TODO: CausalBroadcast.buffered (exercise 17)');
  }

  /** Delivers `body` here at once and sends it to every other member until each acks it. */
  broadcast(body: unknown): void {
    throw new Error('TODO: CausalBroadcast.broadcast (exercise 17)');
  }
}
