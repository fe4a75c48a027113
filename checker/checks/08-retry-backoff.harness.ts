/**
 * What the public and hidden checks of exercise 08 share; see checker/checks/08-retry-backoff.test.ts.
 */
import { afterEach, beforeEach, vi } from 'vitest';
type Retry = typeof import('@submission/08-retry-backoff/retry');

export let retry: Retry;

beforeEach(async () => {
  retry = await import('@submission/08-retry-backoff/retry');
});

afterEach(() => {
  vi.useRealTimers();
});

/** A call that fails `failures` times, then returns 'ok'; it remembers every attempt number. */
export function flaky(failures: number) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    if (attempts.length <= failures) throw new Error(`failure ${attempts.length}`);
    return 'ok';
  };
  return { fn, attempts };
}

/** Lets every pending promise callback run (a real macrotask turn). */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A `sleep` that returns at once and records what it was asked to wait. */
export function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { sleep, waits };
}
