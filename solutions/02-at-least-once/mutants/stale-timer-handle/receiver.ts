/**
 * Exercise 02, the receiving side: hand every message on and acknowledge every copy.
 * Read README.md first. Run `npm run grade -- 02` to check your work.
 * @module
 */
import type { Endpoint, Message } from '../../../../toolkit/netsim';

/** A message as the receiver hands it on. */
export interface Delivery {
  /** The id the sender gave the message; a retransmission carries the same id. */
  readonly id: string;
  /** The node that sent it. */
  readonly from: string;
  readonly payload: unknown;
}

interface DataMessage {
  type: 'data';
  id: string;
  payload: unknown;
}

function isData(value: unknown): value is DataMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'data' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/**
 * Receives the messages of `ReliableSender`s (sender.ts): calls `onDelivery` for every copy that arrives
 * (duplicates included: at-least-once) and answers each copy with an ack, because the ack of an
 * earlier copy may have been lost. If `onDelivery` throws, no ack is sent. Takes over the
 * endpoint's message handler.
 */
export class AckingReceiver {
  constructor(endpoint: Endpoint, onDelivery: (delivery: Delivery) => void) {
    endpoint.onMessage((message: Message) => {
      if (!isData(message.payload)) return;
      const { id, payload } = message.payload;
      try {
        onDelivery({ id, from: message.from, payload });
      } catch {
        return; // not delivered: no ack, the sender will send it again
      }
      endpoint.send(message.from, { type: 'ack', id });
    });
  }
}
