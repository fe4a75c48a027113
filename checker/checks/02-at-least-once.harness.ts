/**
 * What the public and hidden checks of exercise 02 share; see checker/checks/02-at-least-once.test.ts.
 */
import { beforeEach } from 'vitest';
type SenderModule = typeof import('@submission/02-at-least-once/sender');

export type ReceiverModule = typeof import('@submission/02-at-least-once/receiver');
export type Delivery = import('@submission/02-at-least-once/receiver').Delivery;
export type SenderOptions = import('@submission/02-at-least-once/sender').ReliableSenderOptions;
export let sending: SenderModule;
export let receiving: ReceiverModule;

beforeEach(async () => {
  sending = await import('@submission/02-at-least-once/sender');
  receiving = await import('@submission/02-at-least-once/receiver');
});
