/**
 * Exercise 02, the receiving side: hand every message on and acknowledge every copy.
 * @module
 */
import type { Endpoint, Message } from '../../toolkit/netsim';

/** A message as the receiver hands it on. */
export interface Delivery {
  /** The id the sender gave the message; a retransmission carries the same id. */
  readonly id: string;
  /** The node that sent it. */
  readonly from: string;
  readonly payload: unknown;
}

/**
 * Receives the messages of `ReliableSender`s (sender.ts): calls `onDelivery` for every copy that arrives
 * (duplicates included: at-least-once) and answers each copy with an ack, because the ack of an
 * earlier copy may have been lost. If `onDelivery` throws, no ack is sent. Takes over the
 * endpoint's message handler.
 */
export class AckingReceiver {
  constructor(
    private readonly endpoint: Endpoint,
    private readonly onDelivery: (delivery: Delivery) => void,
  ) {
    endpoint.onMessage((message: Message) => this.receive(message));
  }

  private receive(message: Message): void {
    const data = message.payload as { type?: unknown; id?: unknown; payload?: unknown } | null;
    if (data?.type !== 'data' || typeof data.id !== 'string') return;
    // Hand on first, ack second: an ack promises that the message was taken care of.
    this.onDelivery({ id: data.id, from: message.from, payload: data.payload });
    this.endpoint.send(message.from, { type: 'ack', id: data.id });
  }
}
