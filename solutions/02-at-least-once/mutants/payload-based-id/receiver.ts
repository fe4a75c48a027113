/**
 * Exercise 02, the receiving side: hand every message on and acknowledge every copy.
 * @module
 */
import type { Endpoint, Message } from '../../../../toolkit/netsim';

/** A message as the receiver hands it on. */
export interface Delivery {
  readonly id: string;
  readonly from: string;
  readonly payload: unknown;
}

interface DataMessage {
  type: 'data';
  id: string;
  payload: unknown;
}

function isData(p: unknown): p is DataMessage {
  return typeof p === 'object' && p !== null && (p as { type?: unknown }).type === 'data' && typeof (p as { id?: unknown }).id === 'string';
}

export class AckingReceiver {
  constructor(endpoint: Endpoint, onDelivery: (delivery: Delivery) => void) {
    endpoint.onMessage((message: Message) => {
      const p = message.payload;
      if (!isData(p)) return;
      onDelivery({ id: p.id, from: message.from, payload: p.payload });
      endpoint.send(message.from, { type: 'ack', id: p.id });
    });
  }
}
