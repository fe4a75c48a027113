/**
 * Exercise 06: request-reply over an asynchronous channel, matched by correlation id.
 * @module
 */
import type { Endpoint, Message, TimerId } from '../../../../toolkit/netsim';

export interface RequestEnvelope {
  type: 'request';
  correlationId: string;
  body: unknown;
}

export interface ReplyEnvelope {
  type: 'reply';
  correlationId: string;
  body: unknown;
}

export interface RequestReplyOptions {
  timeoutMs?: number;
}

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
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
  timer: TimerId;
}

function isReply(p: unknown): p is ReplyEnvelope {
  return typeof p === 'object' && p !== null && (p as { type?: unknown }).type === 'reply'
    && typeof (p as { correlationId?: unknown }).correlationId === 'string';
}

export class RequestReplyClient {
  private readonly table = new Map<string, Waiting>();
  private readonly timeoutMs: number;
  private counter = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly server: string,
    options: RequestReplyOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 1000;
    endpoint.onMessage((message: Message) => {
      const p = message.payload;
      if (!isReply(p)) return;
      const waiting = this.table.get(p.correlationId);
      if (!waiting) return;
      this.table.delete(p.correlationId);
      this.endpoint.clearTimeout(waiting.timer);
      waiting.resolve(p.body);
    });
  }

  get pending(): number {
    return this.table.size;
  }

  request(body: unknown, options: RequestReplyOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const correlationId = `${this.endpoint.id}-${++this.counter}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = this.endpoint.setTimeout(() => {
        if (!this.table.has(correlationId)) return;
        this.table.delete(correlationId);
        reject(new RequestTimeoutError(correlationId, this.timeoutMs));

      }, timeoutMs);
      this.table.set(correlationId, { resolve, reject, timer });
      const envelope: RequestEnvelope = { type: 'request', correlationId, body };
      this.endpoint.send(this.server, envelope);
    });
  }
}
