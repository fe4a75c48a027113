/**
 * Exercise 11: hand on each sender's messages in sequence, exactly once, with a bounded buffer.
 * @module
 */
import type { Endpoint, Message } from '../../toolkit/netsim';

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

interface Stream {
  /** The sequence number to hand on next. */
  next: number;
  held: Map<number, unknown>;
}

/**
 * Hands on the messages of every sender in the order of their sequence numbers, each exactly once.
 * Early messages wait in a buffer of at most `maxBuffered` per sender; a message that does not fit
 * is refused (not acknowledged), and the sender's retransmission brings it back later. Takes over
 * the endpoint's message handler.
 */
export class OrderedReceiver {
  private readonly maxBuffered: number;
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly onDeliver: (delivery: Delivery) => void,
    options: OrderedReceiverOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 16;
    endpoint.onMessage((message: Message) => this.receive(message));
  }

  /** Messages held back, waiting for a gap to fill, over all senders. */
  get buffered(): number {
    let held = 0;
    for (const stream of this.streams.values()) held += stream.held.size;
    return held;
  }

  private receive(message: Message): void {
    const { seq, body } = message.payload as Sequenced;
    const stream = this.streamOf(message.from);
    if (seq === stream.next) {
      this.handOn(message.from, stream, body);
      this.handOnRun(message.from, stream);
    } else if (seq > stream.next && !stream.held.has(seq)) {
      // No room: say nothing, so that the sender sends it again later.
      if (stream.held.size >= this.maxBuffered) return;
      stream.held.set(seq, body);
    }
    // Handed on, held, or a repeat of either: ack it, since the sender may have missed an earlier ack.
    this.endpoint.send(message.from, { ack: seq } satisfies Ack);
  }

  /**
   * Hands on message `stream.next`. Only once onDeliver has returned does the stream move on: if it
   * throws, the error passes on before the ack, and the number is still the one expected.
   */
  private handOn(from: string, stream: Stream, body: unknown): void {
    this.onDeliver({ from, seq: stream.next, body });
    stream.held.delete(stream.next++);
  }

  private handOnRun(from: string, stream: Stream): void {
    while (stream.held.has(stream.next)) this.handOn(from, stream, stream.held.get(stream.next));
  }

  private streamOf(from: string): Stream {
    let stream = this.streams.get(from);
    if (!stream) {
      stream = { next: 1, held: new Map() };
      this.streams.set(from, stream);
    }
    return stream;
  }
}
