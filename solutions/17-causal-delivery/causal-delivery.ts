/**
 * Exercise 17: causal broadcast among the members of a group, over a network that loses, duplicates
 * and reorders, with acknowledgements, retransmission and a bounded delivery buffer.
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../toolkit/netsim';

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

interface Held {
  readonly from: string;
  readonly data: Data;
}

/**
 * Causal broadcast: delivers every member's messages exactly once and never before a message they
 * causally depend on, holding at most `maxBuffered` early messages; retransmits its own messages to
 * each member until that member acks them. Takes over the endpoint's message handler.
 */
export class CausalBroadcast {
  private readonly maxBuffered: number;
  private readonly retransmitMs: number;
  /** Per member, how many of its messages have been delivered here. */
  private readonly delivered: VectorClock;
  /** Early messages by `from#seq`. */
  private readonly held = new Map<string, Held>();
  /** Per member, this node's messages it has not acked yet, with the timer of the next copy. */
  private readonly unacked = new Map<string, Map<number, TimerId>>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly members: readonly string[],
    private readonly onDeliver: (delivery: Delivery) => void,
    options: CausalBroadcastOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 16;
    this.retransmitMs = options.retransmitMs ?? 50;
    this.delivered = Object.fromEntries(members.map((member) => [member, 0]));
    for (const member of this.others()) this.unacked.set(member, new Map());
    endpoint.onMessage((message: Message) => this.receive(message));
  }

  /** Messages held back, waiting for a message they depend on. */
  get buffered(): number {
    return this.held.size;
  }

  /** Delivers `body` here at once and sends it to every other member until each acks it. */
  broadcast(body: unknown): void {
    const self = this.endpoint.id;
    const seq = ++this.delivered[self];
    const data: Data = { kind: 'data', vc: { ...this.delivered }, body };
    this.onDeliver({ from: self, seq, body });
    for (const member of this.others()) this.transmit(member, seq, data);
  }

  private others(): string[] {
    return this.members.filter((member) => member !== this.endpoint.id);
  }

  /** Sends `data` to `member` now and again every `retransmitMs` until its ack arrives. */
  private transmit(member: string, seq: number, data: Data): void {
    this.endpoint.send(member, data);
    const timer = this.endpoint.setTimeout(() => this.transmit(member, seq, data), this.retransmitMs);
    this.unacked.get(member)?.set(seq, timer);
  }

  private receive(message: Message): void {
    const payload = message.payload as Data | Ack;
    if (payload.kind === 'ack') {
      const pending = this.unacked.get(message.from);
      this.endpoint.clearTimeout(pending?.get(payload.seq));
      pending?.delete(payload.seq);
      return;
    }
    const from = message.from;
    const seq = payload.vc[from];
    const key = `${from}#${seq}`;
    if (seq > this.delivered[from] && !this.held.has(key)) {
      if (this.deliverable(from, payload)) {
        this.deliver(from, payload);
        this.deliverHeld();
      } else if (this.held.size < this.maxBuffered) {
        this.held.set(key, { from, data: payload });
      } else {
        return; // no room: no ack, so that the sender sends it again later
      }
    }
    // Delivered, held, or a repeat of either: ack it, since the sender may have missed an earlier ack.
    this.endpoint.send(from, { kind: 'ack', seq } satisfies Ack);
  }

  /** The next message of `from`, and everything its sender had delivered has been delivered here. */
  private deliverable(from: string, data: Data): boolean {
    return data.vc[from] === this.delivered[from] + 1 && this.members.every((k) => k === from || data.vc[k] <= this.delivered[k]);
  }

  private deliver(from: string, data: Data): void {
    this.delivered[from]++;
    this.onDeliver({ from, seq: data.vc[from], body: data.body });
  }

  /** Delivers held messages as long as one of them is deliverable. */
  private deliverHeld(): void {
    let next = this.nextDeliverable();
    while (next) {
      this.held.delete(`${next.from}#${next.data.vc[next.from]}`);
      this.deliver(next.from, next.data);
      next = this.nextDeliverable();
    }
  }

  private nextDeliverable(): Held | undefined {
    for (const held of this.held.values()) if (this.deliverable(held.from, held.data)) return held;
    return undefined;
  }
}
