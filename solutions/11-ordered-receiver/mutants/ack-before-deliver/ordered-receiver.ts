/**
 * Exercise 11: hand on each sender's messages in sequence, exactly once, with a bounded buffer.
 * @module
 */
import type { Endpoint, Message } from '../../../../toolkit/netsim';

export interface Sequenced {
  readonly seq: number;
  readonly body: unknown;
}

export interface Ack {
  readonly ack: number;
}

export interface Delivery {
  readonly from: string;
  readonly seq: number;
  readonly body: unknown;
}

export interface OrderedReceiverOptions {
  maxBuffered?: number;
}

interface SenderState {
  next: number;
  held: Map<number, unknown>;
}

export class OrderedReceiver {
  private readonly senders = new Map<string, SenderState>();
  private readonly maxBuffered: number;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly onDeliver: (delivery: Delivery) => void,
    options: OrderedReceiverOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 16;
    endpoint.onMessage<Sequenced>((message) => this.receive(message));
  }

  get buffered(): number {
    let total = 0;
    for (const state of this.senders.values()) total += state.held.size;
    return total;
  }

  private stateOf(from: string): SenderState {
    let state = this.senders.get(from);
    if (!state) {
      state = { next: 1, held: new Map() };
      this.senders.set(from, state);
    }
    return state;
  }

  private receive(message: Message<Sequenced>): void {
    const { from } = message;
    const { seq, body } = message.payload;
    const state = this.stateOf(from);

    const refused = seq > state.next && !state.held.has(seq) && state.held.size >= this.maxBuffered;
    if (refused) return; // no ack, the sender will resend
    // taken care of: tell the sender at once so it stops resending
    this.endpoint.send(from, { ack: seq });

    if (seq === state.next) {
      this.onDeliver({ from, seq, body });
      state.next++;
      while (state.held.has(state.next)) {
        const heldBody = state.held.get(state.next);
        state.held.delete(state.next);
        this.onDeliver({ from, seq: state.next, body: heldBody });
        state.next++;
      }
    } else if (seq > state.next && !state.held.has(seq)) {
      state.held.set(seq, body);
    }
  }
}
