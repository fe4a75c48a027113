/**
 * What the public and hidden checks of exercise 05 share; see checks.test.ts beside it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
type QueueModule = typeof import('@submission/05-work-queue/work-queue');

export type QueuedMessage<T> = import('@submission/05-work-queue/work-queue').QueuedMessage<T>;
export let WorkQueue: QueueModule['WorkQueue'];

beforeEach(async () => {
  ({ WorkQueue } = await import('@submission/05-work-queue/work-queue'));
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

export const work = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lets the queue run until no timer is left. */
export const runQueue = () => vi.runAllTimersAsync();

