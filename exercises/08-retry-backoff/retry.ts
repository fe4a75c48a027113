/**
 * Exercise 08: retry a failing call with exponential backoff, a cap, optional jitter and abort.
 * Read README.md first. Run `npm run grade -- 08` to check your work.
 * @module
 */

/** How the wait between attempts grows. */
export interface BackoffOptions {
  /** The wait after the first failure, in ms. Default 100. */
  baseDelayMs?: number;
  /** No wait is longer than this, in ms. Default 10_000. */
  maxDelayMs?: number;
  /** Full jitter: wait a random time in [0, delay] instead of the delay itself. Default false. */
  jitter?: boolean;
  /** The random source for jitter, returning a number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Options of {@link withRetry}. */
export interface RetryOptions extends BackoffOptions {
  /** How many times `fn` is called at most, the first call included. Default 3. */
  maxAttempts?: number;
  /**
   * The operation is safe to repeat (a read, a write of a whole value, a request that carries an
   * idempotency key): the default `isRetryable` then also retries failures whose outcome is
   * unknown. Default false.
   */
  idempotent?: boolean;
  /**
   * Whether an error is worth another attempt. Default: lesson 07's rule (README, "The API"):
   * retry what was certainly not processed, and what may have been only when `idempotent`.
   */
  isRetryable?: (error: unknown) => boolean;
  /** Waits `ms` milliseconds. Default: a `setTimeout` that ends early, its timer cleared, when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborting it stops the retries at once; `withRetry` then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` failures (attempt >= 1):
 * `baseDelayMs * 2^(attempt - 1)`, capped at `maxDelayMs`; with jitter, a random time in
 * [0, that capped delay].
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  throw new Error('TODO: backoffDelay (exercise 08)');
}

/**
 * Calls `fn` until it succeeds, at most `maxAttempts` times, waiting {@link backoffDelay}
 * between attempts (or longer, when the error carries a `retryAfterMs`).
 *
 * @param fn receives the attempt number, starting at 1.
 * @returns what the first successful call returns.
 * @throws the error of the last attempt; a non-retryable error at once; `signal.reason` once
 *   `signal` aborts.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  throw new Error('TODO: withRetry (exercise 08)');
}
