/**
 * What the public and hidden checks of exercise 04 share; see checker/checks/04-at-least-once.test.ts.
 */
import { beforeEach } from 'vitest';
type SenderModule = typeof import('@submission/04-at-least-once/sender');

export type ReceiverModule = typeof import('@submission/04-at-least-once/receiver');
export type Delivery = import('@submission/04-at-least-once/receiver').Delivery;
export type SenderOptions = import('@submission/04-at-least-once/sender').ReliableSenderOptions;
export let sending: SenderModule;
export let receiving: ReceiverModule;

beforeEach(async () => {
  sending = await import('@submission/04-at-least-once/sender');
  receiving = await import('@submission/04-at-least-once/receiver');
});
