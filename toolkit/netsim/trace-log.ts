import { float64Column, uint32Column, uint8Column, valueColumn } from './columns';
import type { DropReason, TraceEvent } from './trace';

// An event is one byte: its kind in the low bits, a detail (copy flag, drop reason) above them,
// and TIME_MOVED when virtual time has moved since the previous event.
const SEND = 0;
/** A duplicate of the message sent just before. */
const DUPLICATE = 1;
/** A drop of the message sent just before (lost, or its sender down or cut off). */
const DROP_AT_SEND = 2;
const DELIVER = 3;
/** A drop of a message in flight (its receiver down or cut off), named in the ids column. */
const DROP_IN_FLIGHT = 4;
/** Crash, restart, partition, heal, note: rare, so kept as the event objects themselves. */
const OTHER = 5;
const KIND_MASK = 0b111;
const DETAIL_SHIFT = 3;
const TIME_MOVED = 0x80;

const DROP_REASONS: readonly DropReason[] = ['loss', 'partition', 'receiver-down', 'sender-down'];
const REASON_CODE = new Map(DROP_REASONS.map((reason, code) => [reason, code]));

/** Where reading the log has got to: each column is read front to back, once. */
interface Cursor {
  event: number;
  time: number;
  t: number;
  id: number;
  sends: number;
  other: number;
}

/**
 * @internal The network's trace, stored compactly. Recording an event allocates nothing and
 * writes as little as it can, because fresh memory is what a long traced run mostly pays for:
 * - one byte per event (its kind and detail);
 * - a time only when virtual time has moved since the previous event (it never goes back);
 * - a message id only for deliveries and drops in flight: a send is message 1, 2, 3, ... in
 *   order, and a duplicate or a drop at the send is about the message sent just before;
 * - per message, its link (sender and receiver) and its payload.
 *
 * The {@link TraceEvent} objects are built when someone reads them, once each, in order.
 */
export class TraceLog {
  private readonly codes = uint8Column();
  private readonly times = float64Column();
  private readonly ids = uint32Column();
  /** By message id - 1. */
  private readonly links = uint32Column();
  private readonly payloads = valueColumn<unknown>();
  private readonly others: TraceEvent[] = [];
  /** Link number by sender and receiver node numbers; the ends of each link. */
  private readonly linkNumbers: number[][] = [];
  private readonly linkEnds: [number, number][] = [];
  private lastTime = 0;
  private readonly built: TraceEvent[] = [];
  private readonly cursor: Cursor = { event: 0, time: 0, t: 0, id: 0, sends: 0, other: 0 };

  /** @param nodeNames node numbers to names; the network keeps adding to it. */
  constructor(private readonly nodeNames: readonly string[]) {}

  /** Records the send of the next message (messages are numbered 1, 2, 3, ... by their sends). */
  send(t: number, sender: number, receiver: number, payload: unknown): void {
    this.links.push(this.linkNumber(sender, receiver));
    this.payloads.push(payload);
    this.add(t, SEND);
  }

  /** Records that the network made a copy of the message just sent. */
  duplicate(t: number): void {
    this.add(t, DUPLICATE);
  }

  /** Records that the message just sent was dropped on the spot. */
  dropAtSend(t: number, reason: DropReason): void {
    this.add(t, DROP_AT_SEND | (this.reasonCode(reason) << DETAIL_SHIFT));
  }

  deliver(t: number, id: number, copy: boolean): void {
    this.ids.push(id);
    this.add(t, DELIVER | ((copy ? 1 : 0) << DETAIL_SHIFT));
  }

  /** Records that message `id` was dropped on arrival. */
  dropInFlight(t: number, id: number, reason: DropReason): void {
    this.ids.push(id);
    this.add(t, DROP_IN_FLIGHT | (this.reasonCode(reason) << DETAIL_SHIFT));
  }

  /** Records an event that is not about one message (crash, restart, partition, heal, note). */
  other(event: TraceEvent): void {
    this.others.push(event);
    this.add(event.t, OTHER);
  }

  /**
   * The first `limit` events (default all) as objects. The array is the log's own: later calls
   * add to it, and the caller must not change it.
   */
  events(limit = Infinity): readonly TraceEvent[] {
    const until = Math.min(limit, this.codes.length);
    while (this.built.length < until) this.built.push(this.buildNext());
    return until === this.built.length ? this.built : this.built.slice(0, until);
  }

  private add(t: number, code: number): void {
    if (t !== this.lastTime || this.codes.length === 0) {
      this.times.push(t);
      this.lastTime = t;
      code |= TIME_MOVED;
    }
    this.codes.push(code);
  }

  private reasonCode(reason: DropReason): number {
    return REASON_CODE.get(reason) as number;
  }

  private linkNumber(sender: number, receiver: number): number {
    const fromSender = (this.linkNumbers[sender] ??= []);
    let link = fromSender[receiver];
    if (link === undefined) {
      link = fromSender[receiver] = this.linkEnds.length;
      this.linkEnds.push([sender, receiver]);
    }
    return link;
  }

  private buildNext(): TraceEvent {
    const cursor = this.cursor;
    const code = this.codes.get(cursor.event++);
    if (code & TIME_MOVED) cursor.t = this.times.get(cursor.time++);
    const t = cursor.t;
    const kind = code & KIND_MASK;
    const detail = (code & ~TIME_MOVED) >> DETAIL_SHIFT;
    if (kind === OTHER) return this.others[cursor.other++];
    const id = kind === SEND ? ++cursor.sends : kind === DELIVER || kind === DROP_IN_FLIGHT ? this.ids.get(cursor.id++) : cursor.sends;
    const [sender, receiver] = this.linkEnds[this.links.get(id - 1)];
    const from = this.nodeNames[sender];
    const to = this.nodeNames[receiver];
    const payload = this.payloads.get(id - 1);
    switch (kind) {
      case SEND:
        return { t, kind: 'send', id, from, to, payload };
      case DUPLICATE:
        return { t, kind: 'duplicate', id, from, to, payload };
      case DELIVER:
        return { t, kind: 'deliver', id, from, to, payload, copy: detail === 1 };
      default:
        return { t, kind: 'drop', id, from, to, payload, reason: DROP_REASONS[detail] };
    }
  }
}
