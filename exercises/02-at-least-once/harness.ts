/**
 * What the public and hidden checks of exercise 02 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, type LinkFaults } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';
type SenderModule = typeof import('@submission/02-at-least-once/sender');

type ReceiverModule = typeof import('@submission/02-at-least-once/receiver');
type Delivery = import('@submission/02-at-least-once/receiver').Delivery;
export type SenderOptions = import('@submission/02-at-least-once/sender').ReliableSenderOptions;
export let sending: SenderModule;
let receiving: ReceiverModule;

beforeEach(async () => {
  sending = await import('@submission/02-at-least-once/sender');
  receiving = await import('@submission/02-at-least-once/receiver');
});

/** Guards every run: a sender that keeps re-arming timers fails fast instead of spinning. */
export const LIMIT = { maxEvents: 20_000 };

/** A sender node and a receiver node, with your classes on them. */
export function world(options: { seed?: number; faults?: LinkFaults; sender?: SenderOptions } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const deliveries: Delivery[] = [];
  const sender = new sending.ReliableSender(net.addNode('sender'), options.sender);
  new receiving.AckingReceiver(net.addNode('receiver'), (delivery) => void deliveries.push(delivery));
  /** Virtual times at which the sender put something on the wire. */
  const sendTimes = () => net.trace.filter((e) => e.kind === 'send' && e.from === 'sender').map((e) => e.t);
  return { net, sender, deliveries, sendTimes };
}
