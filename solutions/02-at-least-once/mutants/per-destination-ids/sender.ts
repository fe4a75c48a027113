/**
 * Exercise 02, the sending side: retransmit until acknowledged, within a bound.
 * Read README.md first. Run `npm run grade -- 02` to check your work.
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../../../toolkit/netsim';

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

/** What the sender remembers of a message not yet acknowledged. */
interface Pending {
  readonly to: string;
  readonly payload: unknown;
  attempts: number;
  timer: TimerId | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The data message on the wire. */
export interface DataMessage {
  type: 'data';
  id: string;
  payload: unknown;
}

/** The ack on the wire. */
export interface AckMessage {
  type: 'ack';
  id: string;
}

function isAck(value: unknown): value is AckMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'ack' &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/**
 * Sends messages with at-least-once delivery: each message gets an id and is sent again every
 * `retransmitMs` until an ack with that id comes back, or `maxAttempts` transmissions went
 * unanswered. Takes over the endpoint's message handler (to hear acks).
 */
export class ReliableSender {
  private readonly retransmitMs: number;
  private readonly maxAttempts: number;
  private readonly pending = new Map<string, Pending>();
  /** Sequence numbers, one sequence per destination (like a connection's sequence numbers). */
  private readonly nextSeq = new Map<string, number>();

  constructor(
    private readonly endpoint: Endpoint,
    options: ReliableSenderOptions = {},
  ) {
    this.retransmitMs = options.retransmitMs ?? 100;
    this.maxAttempts = options.maxAttempts ?? 10;
    endpoint.onMessage((message) => this.onMessage(message));
  }

  /** Messages sent but not yet acknowledged nor given up. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends `payload` to node `to`.
   * @returns a promise that resolves when the receiver has acknowledged the message.
   * @throws DeliveryError (as a rejection) after `maxAttempts` transmissions without an ack.
   */
  send(to: string, payload: unknown): Promise<void> {
    const seq = (this.nextSeq.get(to) ?? 0) + 1;
    this.nextSeq.set(to, seq);
    const id = `${this.endpoint.id}-${seq}`;
    return new Promise<void>((resolve, reject) => {
      const record: Pending = { to, payload, attempts: 0, timer: undefined, resolve, reject };
      this.pending.set(id, record);
      this.transmit(id, record);
    });
  }

  private transmit(id: string, record: Pending): void {
    record.attempts++;
    const data: DataMessage = { type: 'data', id, payload: record.payload };
    this.endpoint.send(record.to, data);
    record.timer = this.endpoint.setTimeout(() => this.onTimer(id, record), this.retransmitMs);
  }

  private onTimer(id: string, record: Pending): void {
    if (this.pending.get(id) !== record) return;
    if (record.attempts >= this.maxAttempts) {
      this.pending.delete(id);
      record.timer = undefined;
      record.reject(new DeliveryError(id, record.attempts));
      return;
    }
    this.transmit(id, record);
  }

  private onMessage(message: Message): void {
    if (!isAck(message.payload)) return;
    const id = message.payload.id;
    const record = this.pending.get(id);
    if (!record || message.from !== record.to) return;
    this.endpoint.clearTimeout(record.timer);
    this.pending.delete(id);
    record.resolve();
  }
}
