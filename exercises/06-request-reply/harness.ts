/**
 * What the public and hidden checks of exercise 06 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, settlement, type Endpoint, type LinkFaults } from '../../toolkit/netsim';
import { fc, holdsFor } from '../../checker/shared/property';
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

/**
 * A client node with your client on it, and a server node that replies as told. The client is built
 * with `clientOptions` as given when there are some, else with `{ timeoutMs }` or `{}`.
 */
export function world(
  options: { seed?: number; faults?: LinkFaults; timeoutMs?: number; clientOptions?: { timeoutMs?: number }; server?: ServerBehaviour } = {},
) {
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
    options.clientOptions ?? (options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  );
  return { net, client, requests };
}

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

/**
 * [5] Against a server that never answers, a request rejects with a RequestTimeoutError exactly at
 * its timeout: `request`'s own `timeoutMs` when given (0 included), else the client's (0 included),
 * else 1000 ms.
 */
export async function timeoutProperty(budget: Budget): Promise<void> {
  const timeout = fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })), { nil: undefined });
  await holdsFor(
    fc.record({ client: timeout, own: timeout }),
    async ({ client: clientTimeout, own }) => {
      const { net, client } = world({ timeoutMs: clientTimeout, server: { delay: () => null } });
      const reply = settlement(client.request('anyone?', own === undefined ? undefined : { timeoutMs: own }), net);
      await net.runUntilIdleAsync(LIMIT);
      const want = own ?? clientTimeout ?? 1000;
      if (reply.error instanceof rr.RequestTimeoutError && reply.at === want) return undefined;
      const what = reply.settled ? (reply.resolved ? `resolved at ${reply.at} ms` : `rejected with ${String(reply.error)} at ${reply.at} ms`) : 'never settled';
      const zero = want === 0 ? ': a timeoutMs of 0 is a value given, not a missing one (default with ??, not ||)' : '';
      return `the request ${what}, expected a RequestTimeoutError at exactly ${want} ms${zero}`;
    },
    {
      ...budget,
      describe: ({ client, own }) =>
        `new RequestReplyClient(endpoint, 'server', ${client === undefined ? '{}' : `{ timeoutMs: ${client} }`}), then request(body${own === undefined ? '' : `, { timeoutMs: ${own} }`}), to a server that never answers`,
    },
  );
}
