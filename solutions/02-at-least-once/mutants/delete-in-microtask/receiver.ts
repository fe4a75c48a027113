/**
 * Exercise 02, the receiving side: hand every message on and acknowledge every copy.
 * @module
 */
import type { Endpoint } from '../../../../toolkit/netsim';

/** A message as the receiver hands it on. */
export interface Delivery {
  readonly id: string;
  readonly from: string;
  readonly payload: unknown;
}

export class AckingReceiver {
  constructor(endpoint: Endpoint, onDelivery: (delivery: Delivery) => void) {
    endpoint.onMessage((message) => {
      const p = message.payload as { type?: unknown; id?: unknown; payload?: unknown } | null;
      if (typeof p !== 'object' || p === null || p.type !== 'data' || typeof p.id !== 'string') return;
      try {
        onDelivery({ id: p.id, from: message.from, payload: p.payload });
      } catch {
        return;
      }
      endpoint.send(message.from, { type: 'ack', id: p.id });
    });
  }
}
