/**
 * Exercise 08: retry a failing call with exponential backoff, a cap, optional jitter and abort.
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
  /** Whether an error is worth another attempt. Default: every error is. */
  isRetryable?: (error: unknown) => boolean;
  /** Waits `ms` milliseconds. Default: a `setTimeout` that stops early when `signal` aborts. */
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
  const { baseDelayMs = 100, maxDelayMs = 10_000, jitter = false, random = Math.random } = options;
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return jitter ? random() * delay : delay;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Resolves when `promise` does, or rejects as soon as `signal` aborts, whichever comes first. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Calls `fn` until it succeeds, at most `maxAttempts` times, waiting {@link backoffDelay}
 * between attempts.
 *
 * @param fn receives the attempt number, starting at 1.
 * @returns what the first successful call returns.
 * @throws the error of the last attempt; a non-retryable error at once; `signal.reason` once
 *   `signal` aborts.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts = 3, isRetryable = () => true, sleep = defaultSleep, signal } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await unlessAborted(fn(attempt), signal);
    } catch (error) {
      if (signal?.aborted || attempt >= maxAttempts || !isRetryable(error)) throw error;
    }
    await unlessAborted(sleep(backoffDelay(attempt, options), signal), signal);
  }
}
