/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * @module
 */
import type { Endpoint, TimerId } from '../../../../toolkit/netsim';

/** Options of a {@link ReliableSender}. */
export interface ReliableSenderOptions {
  retransmitMs?: number;
  maxAttempts?: number;
}

/** `send` gave up: no ack after `attempts` transmissions. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly messageId: string,
    readonly attempts: number,
  ) {
    super(`message ${messageId} not acknowledged after ${attempts} transmissions`);
  }
}

interface Pending {
  to: string;
  payload: unknown;
  attempts: number;
  timer: TimerId | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class ReliableSender {
  private readonly endpoint: Endpoint;
  private readonly retransmitMs: number;
  private readonly maxAttempts: number;
  private readonly pending = new Map<string, Pending>();
  private readonly gaveUp = new Set<string>();
  private count = 0;
  private nextId = 1;

  constructor(endpoint: Endpoint, options: ReliableSenderOptions = {}) {
    this.endpoint = endpoint;
    this.retransmitMs = options.retransmitMs ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    endpoint.onMessage((message) => {
      const p = message.payload as { type?: unknown; id?: unknown } | null;
      if (typeof p !== 'object' || p === null || p.type !== 'ack' || typeof p.id !== 'string') return;
      if (this.gaveUp.has(p.id)) {
        // a late ack for a message we gave up on: it did arrive after all
        this.gaveUp.delete(p.id);
        this.count--;
        return;
      }
      const rec = this.pending.get(p.id);
      if (!rec) return;
      this.count--;
      this.endpoint.clearTimeout(rec.timer);
      this.pending.delete(p.id);
      rec.resolve();
    });
  }

  get inFlight(): number {
    return this.count;
  }

  send(to: string, payload: unknown): Promise<void> {
    const id = `${this.endpoint.id}-${this.nextId++}`;
    return new Promise<void>((resolve, reject) => {
      const rec: Pending = { to, payload, attempts: 0, timer: undefined, resolve, reject };
      this.pending.set(id, rec);
      this.count++;
      this.transmit(id, rec);
    });
  }

  private transmit(id: string, rec: Pending): void {
    rec.attempts++;
    this.endpoint.send(rec.to, { type: 'data', id, payload: rec.payload });
    rec.timer = this.endpoint.setTimeout(() => {
      rec.timer = undefined;
      if (!this.pending.has(id)) return;
      if (rec.attempts >= this.maxAttempts) {
        this.pending.delete(id);
        this.gaveUp.add(id);
        this.count--;
        rec.reject(new DeliveryError(id, rec.attempts));
        return;
      }
      this.transmit(id, rec);
    }, this.retransmitMs);
  }
}
