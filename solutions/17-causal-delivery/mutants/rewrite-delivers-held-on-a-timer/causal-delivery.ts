/**
 * A whole program as a student might write it from the README (by the author, not blind): held
 * messages are looked at by a timer every 10 ms, not at the moment the message they wait for is
 * delivered.
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
  private readonly waiting = new Map<string, Map<number, Data>>();
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
      this.waiting.set(m, new Map());
    }
    endpoint.onMessage((m: Message) => this.onMessage(m));
    const tick = () => {
      this.drain();
      if (this.buffered > 0) endpoint.setTimeout(tick, 10);
      else this.ticking = false;
    };
    this.tick = tick;
  }

  private ticking = false;
  private readonly tick: () => void;

  get buffered(): number {
    let n = 0;
    for (const w of this.waiting.values()) n += w.size;
    return n;
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
    const mine = this.waiting.get(m.from) as Map<number, Data>;
    if (seq <= this.clock[m.from] || mine.has(seq)) {
      this.endpoint.send(m.from, { kind: 'ack', seq });
      return;
    }
    if (this.canDeliver(m.from, p.vc)) {
      this.clock[m.from]++;
      this.onDeliver({ from: m.from, seq, body: p.body });
    } else if (this.buffered < this.max) {
      mine.set(seq, p);
      if (!this.ticking) {
        this.ticking = true;
        this.endpoint.setTimeout(this.tick, 10);
      }
    } else {
      return;
    }
    this.endpoint.send(m.from, { kind: 'ack', seq });
  }

  private drain(): void {
    let again = true;
    while (again) {
      again = false;
      for (const [from, mine] of this.waiting) {
        for (const [seq, d] of mine) {
          if (this.canDeliver(from, d.vc)) {
            mine.delete(seq);
            this.clock[from]++;
            this.onDeliver({ from, seq, body: d.body });
            again = true;
          }
        }
      }
    }
  }
}
