/**
 * A whole program as a student might write it from the README (by the author, not blind): a repeat
 * is recognised by netsim's `copy` flag (the network's duplicates), not by its number, so a resent
 * message is taken for a new one.
 */
import type { Endpoint, Message } from '../../../../toolkit/netsim';

export type VectorClock = Record<string, number>;
export interface Data {
  readonly kind: 'data';
  readonly vc: VectorClock;
  readonly body: unknown;
}
export interface Ack {
  readonly kind: 'ack';
  readonly seq: number;
}
export interface Delivery {
  readonly from: string;
  readonly seq: number;
  readonly body: unknown;
}
export interface CausalBroadcastOptions {
  maxBuffered?: number;
  retransmitMs?: number;
}

export class CausalBroadcast {
  private readonly clock: VectorClock = {};
  private readonly held: { from: string; d: Data }[] = [];
  private readonly timers = new Map<string, ReturnType<Endpoint['setTimeout']>>();
  private readonly max: number;
  private readonly every: number;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly members: readonly string[],
    private readonly onDeliver: (delivery: Delivery) => void,
    options: CausalBroadcastOptions = {},
  ) {
    this.max = options.maxBuffered ?? 16;
    this.every = options.retransmitMs ?? 50;
    for (const m of members) {
      this.clock[m] = 0;
    }
    endpoint.onMessage((m: Message) => this.onMessage(m));
  }

  get buffered(): number {
    return this.held.length;
  }

  broadcast(body: unknown): void {
    const me = this.endpoint.id;
    this.clock[me] += 1;
    const msg: Data = { kind: 'data', vc: { ...this.clock }, body };
    this.onDeliver({ from: me, seq: this.clock[me], body });
    for (const m of this.members) if (m !== me) this.sendUntilAcked(m, msg);
  }

  private sendUntilAcked(to: string, msg: Data): void {
    const key = `${to}/${msg.vc[this.endpoint.id]}`;
    this.endpoint.send(to, msg);
    this.timers.set(key, this.endpoint.setTimeout(() => this.sendUntilAcked(to, msg), this.every));
  }

  private canDeliver(from: string, vc: VectorClock): boolean {
    if (vc[from] !== this.clock[from] + 1) return false;
    return this.members.every((m) => m === from || vc[m] <= this.clock[m]);
  }

  private onMessage(m: Message): void {
    const p = m.payload as Data | Ack;
    if (p.kind === 'ack') {
      const key = `${m.from}/${p.seq}`;
      this.endpoint.clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      return;
    }
    const seq = p.vc[m.from];
    if (m.copy) {
      this.endpoint.send(m.from, { kind: 'ack', seq });
      return;
    }
    if (this.canDeliver(m.from, p.vc)) {
      this.clock[m.from]++;
      this.onDeliver({ from: m.from, seq, body: p.body });
      this.drain();
    } else if (this.held.length < this.max) {
      this.held.push({ from: m.from, d: p });
    } else {
      return;
    }
    this.endpoint.send(m.from, { kind: 'ack', seq });
  }

  private drain(): void {
    let again = true;
    while (again) {
      again = false;
      const i = this.held.findIndex((h) => this.canDeliver(h.from, h.d.vc));
      if (i >= 0) {
        const [{ from, d }] = this.held.splice(i, 1);
        this.clock[from]++;
        this.onDeliver({ from, seq: d.vc[from], body: d.body });
        again = true;
      }
    }
  }
}
