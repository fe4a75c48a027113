/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * @module
 */
import type { Endpoint, Message } from '../../toolkit/netsim';

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

interface Outgoing {
  to: string;
  payload: unknown;
  attempts: number;
  timer: number | undefined;
  resolve: () => void;
  reject: (error: DeliveryError) => void;
}

/**
 * Sends messages with at-least-once delivery: each message gets an id and is sent again every
 * `retransmitMs` until an ack with that id comes back, or `maxAttempts` transmissions went
 * unanswered. Takes over the endpoint's message handler (to hear acks).
 */
export class ReliableSender {
  private readonly retransmitMs: number;
  private readonly maxAttempts: number;
  private readonly outgoing = new Map<string, Outgoing>();
  private nextSeq = 1;

  constructor(
    private readonly endpoint: Endpoint,
    options: ReliableSenderOptions = {},
  ) {
    this.retransmitMs = options.retransmitMs ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    endpoint.onMessage((message: Message) => this.onAck(message.payload));
  }

  /** Messages sent but not yet acknowledged nor given up. */
  get inFlight(): number {
    return this.outgoing.size;
  }

  /**
   * Sends `payload` to node `to`.
   * @returns a promise that resolves when the receiver has acknowledged the message.
   * @throws DeliveryError (as a rejection) after `maxAttempts` transmissions without an ack.
   */
  send(to: string, payload: unknown): Promise<void> {
    const id = `${this.endpoint.id}-${this.nextSeq++}`;
    return new Promise<void>((resolve, reject) => {
      this.outgoing.set(id, { to, payload, attempts: 0, timer: undefined, resolve, reject });
      this.transmit(id);
    });
  }

  private transmit(id: string): void {
    const entry = this.outgoing.get(id);
    if (!entry) return;
    if (entry.attempts === this.maxAttempts) {
      this.outgoing.delete(id);
      entry.reject(new DeliveryError(id, entry.attempts));
      return;
    }
    entry.attempts++;
    this.endpoint.send(entry.to, { type: 'data', id, payload: entry.payload });
    entry.timer = this.endpoint.setTimeout(() => this.transmit(id), this.retransmitMs);
  }

  private onAck(payload: unknown): void {
    const ack = payload as { type?: unknown; id?: unknown } | null;
    if (ack?.type !== 'ack' || typeof ack.id !== 'string') return;
    const entry = this.outgoing.get(ack.id);
    if (!entry) return; // a late or duplicate ack
    this.endpoint.clearTimeout(entry.timer);
    this.outgoing.delete(ack.id);
    entry.resolve();
  }
}
