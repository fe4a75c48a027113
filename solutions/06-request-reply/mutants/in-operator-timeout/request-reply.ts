/**
 * Exercise 06: request-reply over an asynchronous channel, matched by correlation id.
 * Read README.md first. Run `npm run grade -- 06` to check your work.
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../../../toolkit/netsim';

/** What the client sends to the server. */
export interface RequestEnvelope {
  type: 'request';
  /** Unique per request of this client; the server copies it into its reply. */
  correlationId: string;
  body: unknown;
}

/** What the server sends back. */
export interface ReplyEnvelope {
  type: 'reply';
  correlationId: string;
  body: unknown;
}

/** Options of a {@link RequestReplyClient}. */
export interface RequestReplyOptions {
  /** How long a request waits for its reply, in ms of virtual time. Default 1000. */
  timeoutMs?: number;
}

/** No reply came within the timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly correlationId: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply to request ${correlationId} within ${timeoutMs} ms`);
  }
}

interface Waiting {
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerId;
}

function isReply(value: unknown): value is ReplyEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'reply' &&
    typeof (value as { correlationId?: unknown }).correlationId === 'string'
  );
}

/**
 * Sends requests to one server node and matches each reply to its request by correlation id,
 * whatever order replies arrive in. Takes over the endpoint's message handler.
 */
export class RequestReplyClient {
  private readonly timeoutMs: number;
  private readonly waiting = new Map<string, Waiting>();
  private nextId = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly server: string,
    options: RequestReplyOptions = {},
  ) {
    // a timeoutMs of 0 is a timeout given: look for the key, not for a truthy value
    this.timeoutMs = 'timeoutMs' in options ? (options.timeoutMs as number) : 1000;
    endpoint.onMessage((message) => this.onMessage(message));
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Sends `body` to the server in a {@link RequestEnvelope}.
   * @returns the body of the matching reply.
   * @throws RequestTimeoutError (as a rejection) when no reply came within the timeout.
   */
  request(body: unknown, options: RequestReplyOptions = {}): Promise<unknown> {
    const timeoutMs = 'timeoutMs' in options ? (options.timeoutMs as number) : this.timeoutMs;
    const correlationId = `${this.endpoint.id}-${++this.nextId}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = this.endpoint.setTimeout(() => {
        if (!this.waiting.delete(correlationId)) return;
        reject(new RequestTimeoutError(correlationId, timeoutMs));
      }, timeoutMs);
      this.waiting.set(correlationId, { resolve, reject, timer });
      const envelope: RequestEnvelope = { type: 'request', correlationId, body };
      this.endpoint.send(this.server, envelope);
    });
  }

  private onMessage(message: Message): void {
    if (!isReply(message.payload)) return;
    const { correlationId, body } = message.payload;
    const waiting = this.waiting.get(correlationId);
    if (!waiting) return; // timed out, or a second copy: ignore
    this.waiting.delete(correlationId);
    this.endpoint.clearTimeout(waiting.timer);
    waiting.resolve(body);
  }
}
