/**
 * What the public and hidden checks of exercise 06 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, type Endpoint, type LinkFaults } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';

type ClientModule = typeof import('@submission/06-request-reply/request-reply');
type RequestEnvelope = import('@submission/06-request-reply/request-reply').RequestEnvelope;
export let rr: ClientModule;

beforeEach(async () => {
  rr = await import('@submission/06-request-reply/request-reply');
});

export const LIMIT = { maxEvents: 20_000 };

export interface ServerBehaviour {
  /** The reply body for a request body; default: `{ echo: body }`. */
  answer?: (body: unknown) => unknown;
  /** How long the server takes, in ms; `null` means it never answers. Default 0. */
  delay?: (body: unknown) => number | null;
}

/** A client node with your client on it, and a server node that replies as told. */
export function world(options: { seed?: number; faults?: LinkFaults; timeoutMs?: number; server?: ServerBehaviour } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const requests: RequestEnvelope[] = [];
  const answer = options.server?.answer ?? ((body: unknown) => ({ echo: body }));
  const delay = options.server?.delay ?? (() => 0);
  const server: Endpoint = net.addNode('server', (message) => {
    const request = message.payload as RequestEnvelope;
    requests.push(request);
    const wait = delay(request.body);
    if (wait === null) return;
    server.setTimeout(() => server.send(message.from, { type: 'reply', correlationId: request.correlationId, body: answer(request.body) }), wait);
  });
  const client = new rr.RequestReplyClient(
    net.addNode('client'),
    'server',
    options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
  );
  return { net, client, requests };
}
