/**
 * Exercise 06: request-reply over an asynchronous channel, matched by correlation id.
 * @module
 */
import type { Endpoint, Message } from '../../toolkit/netsim';

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

interface PendingRequest {
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  timer: number;
}

/**
 * Sends requests to one server node and matches each reply to its request by correlation id,
 * whatever order replies arrive in. Takes over the endpoint's message handler.
 */
export class RequestReplyClient {
  private readonly timeoutMs: number;
  private readonly waiting = new Map<string, PendingRequest>();
  private nextId = 1;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly server: string,
    options: RequestReplyOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    endpoint.onMessage((message: Message) => this.onReply(message.payload));
  }

  /** Requests still waiting for their reply. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Sends `body` to the server.
   * @returns the body of the matching reply.
   * @throws RequestTimeoutError (as a rejection) when no reply came within the timeout.
   */
  request(body: unknown, options: RequestReplyOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const correlationId = `${this.endpoint.id}-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = this.endpoint.setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new RequestTimeoutError(correlationId, timeoutMs));
      }, timeoutMs);
      this.waiting.set(correlationId, { resolve, reject, timer });
      const envelope: RequestEnvelope = { type: 'request', correlationId, body };
      this.endpoint.send(this.server, envelope);
    });
  }

  private onReply(payload: unknown): void {
    const reply = payload as Partial<ReplyEnvelope> | null;
    if (reply?.type !== 'reply' || typeof reply.correlationId !== 'string') return;
    const request = this.waiting.get(reply.correlationId);
    if (!request) return; // late (timed out) or duplicate reply
    this.waiting.delete(reply.correlationId);
    this.endpoint.clearTimeout(request.timer);
    request.resolve(reply.body);
  }
}
