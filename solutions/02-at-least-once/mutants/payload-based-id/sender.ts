/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../../../toolkit/netsim';

export interface ReliableSenderOptions {
  retransmitMs?: number;
  maxAttempts?: number;
}

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
  private readonly retransmitMs: number;
  private readonly maxAttempts: number;
  private readonly pending = new Map<string, Pending>();


  constructor(
    private readonly endpoint: Endpoint,
    options: ReliableSenderOptions = {},
  ) {
    this.retransmitMs = options.retransmitMs ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    endpoint.onMessage((message: Message) => {
      const p = message.payload as { type?: unknown; id?: unknown } | null;
      if (typeof p !== 'object' || p === null || p.type !== 'ack' || typeof p.id !== 'string') return;
      const entry = this.pending.get(p.id);
      if (!entry) return;
      this.endpoint.clearTimeout(entry.timer);
      this.pending.delete(p.id);
      entry.resolve();
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  send(to: string, payload: unknown): Promise<void> {
    // the id is derived from the content, so a retransmission naturally carries the same id
    const id = `${this.endpoint.id}-${JSON.stringify(payload)}`;

    return new Promise<void>((resolve, reject) => {
      const entry: Pending = { to, payload, attempts: 0, timer: undefined, resolve, reject };
      this.pending.set(id, entry);
      this.transmit(id, entry);
    });
  }

  private transmit(id: string, entry: Pending): void {
    entry.attempts++;
    this.endpoint.send(entry.to, { type: 'data', id, payload: entry.payload });
    entry.timer = this.endpoint.setTimeout(() => this.onTimer(id, entry), this.retransmitMs);
  }

  private onTimer(id: string, entry: Pending): void {
    if (this.pending.get(id) !== entry) return;
    if (entry.attempts >= this.maxAttempts) {
      this.pending.delete(id);
      entry.reject(new DeliveryError(id, entry.attempts));
      return;
    }
    this.transmit(id, entry);
  }
}
