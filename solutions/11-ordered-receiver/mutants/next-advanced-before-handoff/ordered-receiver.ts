/**
 * Exercise 11: hand on each sender's messages in sequence, exactly once, with a bounded buffer.
 * Read README.md first. Run `npm run grade -- 11` to check your work.
 * @module
 */
import type { Endpoint } from '../../../../toolkit/netsim';

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
    endpoint.onMessage<Sequenced>((message) => this.receive(message.from, message.payload));
  }

  get buffered(): number {
    let total = 0;
    for (const s of this.senders.values()) total += s.held.size;
    return total;
  }

  private receive(from: string, message: Sequenced): void {
    if (typeof message !== 'object' || message === null || typeof message.seq !== 'number') return;
    let state = this.senders.get(from);
    if (!state) {
      state = { next: 1, held: new Map() };
      this.senders.set(from, state);
    }
    const { seq, body } = message;
    if (seq === state.next) {
      state.next += 1;
      this.onDeliver({ from, seq, body });
      while (state.held.has(state.next)) {
        const n = state.next++;
        const heldBody = state.held.get(n);
        state.held.delete(n);
        this.onDeliver({ from, seq: n, body: heldBody });
      }

      this.ack(from, seq);
      return;
    }
    if (seq < state.next || state.held.has(seq)) {
      this.ack(from, seq);
      return;
    }
    if (state.held.size < this.maxBuffered) {
      state.held.set(seq, body);
      this.ack(from, seq);
      return;
    }
    // refused: neither held nor acked
  }

  private ack(to: string, seq: number): void {
    const ack: Ack = { ack: seq };
    this.endpoint.send(to, ack);
  }
}
