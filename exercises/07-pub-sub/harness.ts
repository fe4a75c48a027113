/**
 * What the public and hidden checks of exercise 07 share; see checks.test.ts beside it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
type BrokerModule = typeof import('@submission/07-pub-sub/broker');

export let Broker: BrokerModule['Broker'];

beforeEach(async () => {
  ({ Broker } = await import('@submission/07-pub-sub/broker'));
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

export const work = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets pending deliveries run, moving (fake) time on by `ms`. */
export const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
