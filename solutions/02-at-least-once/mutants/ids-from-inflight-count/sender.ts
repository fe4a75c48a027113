/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * @module
 */
import type { Endpoint, TimerId } from '../../../../toolkit/netsim';

/** Options of a {@link ReliableSender}. */
export interface ReliableSenderOptions {
  /** Wait this long for an ack before sending again, in ms of virtual time. Default 100. */
  retransmitMs?: number;
  /** Transmissions of one message before giving up, the first one included. Default 10. */
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

let senderCount = 0;

export class ReliableSender {
  private readonly retransmitMs: number;
  private readonly maxAttempts: number;
  private readonly pending = new Map<string, Pending>();
  private readonly prefix: string;

  constructor(
    private readonly endpoint: Endpoint,
    options: ReliableSenderOptions = {},
  ) {
    this.retransmitMs = options.retransmitMs ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.prefix = `${endpoint.id}-${++senderCount}`;
    endpoint.onMessage((message) => this.onMessage(message.payload));
  }

  /** Messages sent but not yet acknowledged nor given up. */
  get inFlight(): number {
    return this.pending.size;
  }

  send(to: string, payload: unknown): Promise<void> {
    const id = `${this.prefix}-${this.pending.size + 1}`;
    return new Promise<void>((resolve, reject) => {
      const record: Pending = { to, payload, attempts: 0, timer: undefined, resolve, reject };
      this.pending.set(id, record);
      this.transmit(id, record);
    });
  }

  private transmit(id: string, record: Pending): void {
    record.attempts++;
    this.endpoint.send(record.to, { type: 'data', id, payload: record.payload });
    record.timer = this.endpoint.setTimeout(() => this.onTimer(id, record), this.retransmitMs);
  }

  private onTimer(id: string, record: Pending): void {
    if (this.pending.get(id) !== record) return;
    if (record.attempts >= this.maxAttempts) {
      this.pending.delete(id);
      record.reject(new DeliveryError(id, record.attempts));
      return;
    }
    this.transmit(id, record);
  }

  private onMessage(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const msg = payload as { type?: unknown; id?: unknown };
    if (msg.type !== 'ack' || typeof msg.id !== 'string') return;
    const record = this.pending.get(msg.id);
    if (!record) return;
    this.endpoint.clearTimeout(record.timer);
    this.pending.delete(msg.id);
    record.resolve();
  }
}
