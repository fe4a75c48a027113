import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './body';
import { Rejection } from './errors';
import { parseMessage, type InboundMessage, type ProcessedReply } from './message';

/** The request header that carries a correlation id; the server echoes it on the reply. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** What a handler knows about the request besides the message. */
export interface MessageContext {
  /** The request's `X-Correlation-Id`, or one the server made up (`server-1`, `server-2`, ...). */
  correlationId: string;
  /** The request headers, names in lower case. */
  headers: http.IncomingHttpHeaders;
}

/**
 * Processes an accepted message. What it returns (an object, possibly through a promise) is added
 * to the `{ status: "processed", id }` reply. If it throws, the client gets a 500.
 */
export type OnMessage = (
  message: InboundMessage,
  context: MessageContext,
) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

/** Options of {@link startMessageServer}. */
export interface MessageServerOptions {
  /** Called for each valid message before the reply is sent; the reply waits for it. */
  onMessage?: OnMessage;
  /** Largest body accepted, in bytes; a larger one gets 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The one route that takes messages. Default `/message`. */
  path?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: the operating system picks a free port. */
  port?: number;
}

/** A message server that is listening. */
export interface MessageServer {
  /** The node:http server underneath. */
  readonly server: http.Server;
  readonly port: number;
  /** Where to POST messages, e.g. `http://127.0.0.1:41234/message`. */
  readonly messageUrl: string;
  /** The server's root URL, without a path. */
  readonly baseUrl: string;
  /** Valid messages accepted so far (counted before the handler runs). */
  readonly accepted: number;
  /** Requests refused with a 4xx so far. */
  readonly refused: number;
  /** Stops listening and cuts every open connection; resolves once the server is closed. */
  close(): Promise<void>;
}

/** Default of {@link MessageServerOptions.maxBodyBytes}. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Starts an HTTP server that takes JSON messages on `POST /message` and answers each with
 * `{ status: "processed", id }` once `onMessage` has run.
 *
 * It refuses bad requests with a JSON `{ error, message }` body and keeps serving: 400 for a body
 * that is not JSON or has no string `id`, 413 for a body over the limit, 405 (with `Allow: POST`)
 * for another method, 404 for another path, 500 when the handler throws.
 *
 * @example
 * ```ts
 * const server = await startMessageServer({ onMessage: (m) => console.log('got', m.id) });
 * const reply = await postJson(server.messageUrl, { id: '1', content: 'hello' });
 * await server.close();
 * ```
 */
export async function startMessageServer(options: MessageServerOptions = {}): Promise<MessageServer> {
  const route = options.path ?? '/message';
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let accepted = 0;
  let refused = 0;
  let madeUpIds = 0;

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const correlationId = String(request.headers[CORRELATION_HEADER] ?? `server-${++madeUpIds}`);
    response.setHeader(CORRELATION_HEADER, correlationId);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    try {
      if (path !== route) throw new Rejection('not-found', `there is nothing at ${path}; messages go to POST ${route}`);
      if (request.method !== 'POST') {
        throw new Rejection('method-not-allowed', `${route} takes POST, not ${request.method}`, { Allow: 'POST' });
      }
      const message = parseMessage(await readBody(request, limit));
      accepted++;
      const extra = await runHandler(message, { correlationId, headers: request.headers });
      const reply: ProcessedReply = { ...extra, status: 'processed', id: message.id };
      sendJson(response, 200, reply);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      if (error.status < 500) refused++;
      // The client may still be sending the refused body: answer, then close the connection.
      const close: Record<string, string> = error.code === 'body-too-large' ? { Connection: 'close' } : {};
      sendJson(response, error.status, error.toJSON(), { ...error.headers, ...close });
    }
  }

  async function runHandler(message: InboundMessage, context: MessageContext): Promise<Record<string, unknown>> {
    try {
      const extra = (await options.onMessage?.(message, context)) as Record<string, unknown> | undefined;
      return extra ?? {};
    } catch (cause) {
      throw new Rejection('handler-failed', `the handler failed: ${(cause as Error)?.message ?? String(cause)}`);
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // Only a bug in this file gets here; answer rather than leave the client hanging.
      if (!response.headersSent) sendJson(response, 500, { error: 'handler-failed', message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    server,
    port,
    baseUrl,
    messageUrl: baseUrl + route,
    get accepted() {
      return accepted;
    },
    get refused() {
      return refused;
    },
    close: () => closeServer(server),
  };
}

/** Stops `server` listening and destroys its open connections (keep-alive ones included). */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
