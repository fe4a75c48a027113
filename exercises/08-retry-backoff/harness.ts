/**
 * What the public and hidden checks of exercise 08 share; see checks.test.ts beside it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { fc, holdsFor } from '../../checker/shared/property';
type Retry = typeof import('@submission/08-retry-backoff/retry');

export let retry: Retry;

beforeEach(async () => {
  retry = await import('@submission/08-retry-backoff/retry');
});

afterEach(() => {
  vi.useRealTimers();
});

/** A failure shaped as the README says the default `isRetryable` reads it. */
export const failure = {
  /** Nothing listens on the port: Node's own error, with `code`. */
  refused: (message = 'connect ECONNREFUSED 127.0.0.1:9') => Object.assign(new Error(message), { code: 'ECONNREFUSED' }),
  /** What `fetch` throws: a TypeError whose `cause` carries the network error's code. */
  fetchFailed: (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
  /** A connection broken after the request may have left. */
  reset: (code = 'ECONNRESET') => Object.assign(new Error(`socket hang up (${code})`), { code }),
  /** What `AbortSignal.timeout` makes `fetch` reject with. */
  timeout: () => new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
  /** A non-2xx answer turned into an error, with `Retry-After` when the server sent one. */
  http: (status: number, retryAfterMs?: number) => Object.assign(new Error(`HTTP ${status}`), retryAfterMs === undefined ? { status } : { status, retryAfterMs }),
};

/** A call that fails `failures` times (a refused connection, retried by default), then returns 'ok'; it remembers every attempt number. */
export function flaky(failures: number) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    if (attempts.length <= failures) throw failure.refused(`connect ECONNREFUSED 127.0.0.1:9 (failure ${attempts.length})`);
    return 'ok';
  };
  return { fn, attempts };
}

/** A call that fails once with `error`, then returns 'ok'. */
export function failsOnceWith(error: unknown) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    if (attempt === 1) throw error;
    return 'ok';
  };
  return { fn, attempts };
}

/** How many calls `withRetry` made for a call that fails once with `error` (2: retried; 1: not). */
export async function callsFor(error: unknown, options: { idempotent?: boolean } = {}): Promise<number> {
  const { fn, attempts } = failsOnceWith(error);
  await retry.withRetry(fn, { ...options, sleep: recordingSleep().sleep }).catch(() => {});
  return attempts.length;
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

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

/**
 * [2] With `jitter: true`, `backoffDelay` is `random() × min(maxDelayMs, baseDelayMs × 2^(attempt - 1))`
 * for every attempt, base, cap and draw: the jitter applies to the capped delay.
 */
export async function jitterProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    attempt: fc.integer({ min: 1, max: 40 }),
    baseDelayMs: fc.integer({ min: 1, max: 1000 }),
    maxDelayMs: fc.integer({ min: 1, max: 100_000 }),
    draw: fc.integer({ min: 0, max: 999 }).map((k) => k / 1000),
  });
  await holdsFor(
    cases,
    async ({ attempt, baseDelayMs, maxDelayMs, draw }) => {
      const capped = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const want = draw * capped;
      const got = retry.backoffDelay(attempt, { baseDelayMs, maxDelayMs, jitter: true, random: () => draw });
      if (typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, want)) return undefined;
      const uncapped = Math.min(maxDelayMs, draw * baseDelayMs * 2 ** (attempt - 1));
      const why =
        typeof got === 'number' && Math.abs(got - uncapped) <= 1e-9 * Math.max(1, uncapped)
          ? 'jitter drawn over the uncapped delay, then capped (cap first, then multiply by random())'
          : 'not exactly random() × the capped delay';
      return `${why}: backoffDelay returned ${String(got)}, expected ${draw} × ${capped} = ${want}`;
    },
    {
      ...budget,
      describe: (c) => `backoffDelay(${c.attempt}, { baseDelayMs: ${c.baseDelayMs}, maxDelayMs: ${c.maxDelayMs}, jitter: true, random: () => ${c.draw} })`,
    },
  );
}
