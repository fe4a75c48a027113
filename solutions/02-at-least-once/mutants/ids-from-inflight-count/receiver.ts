/**
 * Exercise 02, the receiving side: hand every message on and acknowledge every copy.
 * @module
 */
import type { Endpoint } from '../../../../toolkit/netsim';

/** A message as the receiver hands it on. */
export interface Delivery {
  /** The id the sender gave the message; a retransmission carries the same id. */
  readonly id: string;
  /** The node that sent it. */
  readonly from: string;
  readonly payload: unknown;
}

export class AckingReceiver {
  constructor(endpoint: Endpoint, onDelivery: (delivery: Delivery) => void) {
    endpoint.onMessage((message) => {
      const p = message.payload;
      if (typeof p !== 'object' || p === null) return;
      const data = p as { type?: unknown; id?: unknown; payload?: unknown };
      if (data.type !== 'data' || typeof data.id !== 'string') return;
      try {
        onDelivery({ id: data.id, from: message.from, payload: data.payload });
      } catch {
        return;
      }
      endpoint.send(message.from, { type: 'ack', id: data.id });
    });
  }
}
