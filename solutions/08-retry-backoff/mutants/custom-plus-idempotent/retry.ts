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
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const exponential = baseDelayMs * 2 ** (attempt - 1);
  const delay = Number.isNaN(exponential) ? 0 : Math.min(maxDelayMs, exponential);
  if (options.jitter) return (options.random ?? Math.random)() * delay;
  return delay;
}

/** A property of an error, read defensively: errors may be strings, null, anything. */
function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The network codes of an error: its own `code` and its `cause.code` (where fetch puts it). */
function codesOf(error: unknown): unknown[] {
  return [prop(error, 'code'), prop(prop(error, 'cause'), 'code')];
}

/** The error's `retryAfterMs`, if it is a number. */
function retryAfterOf(error: unknown): number | undefined {
  const value = prop(error, 'retryAfterMs');
  return typeof value === 'number' ? value : undefined;
}

/** Lesson 07's rule: retry what was not processed; what may have been, only when idempotent. */
function defaultIsRetryable(error: unknown, idempotent: boolean): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const codes = codesOf(error);
  const status = prop(error, 'status');
  // not processed
  if (codes.includes('ECONNREFUSED') || codes.includes('UND_ERR_CONNECT_TIMEOUT')) return true;
  if (status === 429 || status === 408) return true;
  if (status === 503 && retryAfterOf(error) !== undefined) return true;
  // unknown
  if (
    prop(error, 'name') === 'TimeoutError' ||
    codes.includes('ECONNRESET') ||
    codes.includes('UND_ERR_SOCKET') ||
    (typeof status === 'number' && status >= 500)
  ) {
    return idempotent;
  }
  // wrong, or a bug
  return false;
}

/** Waits `ms`; ends early (rejecting with the reason) when `signal` aborts, clearing its timer. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
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
  const maxAttempts = options.maxAttempts ?? 3;
  const idempotent = options.idempotent ?? false;
  const decide = options.isRetryable ?? ((error: unknown) => defaultIsRetryable(error, false));
  // idempotent: repeating is harmless, so a failure whose outcome is unknown is worth another try too
  const isRetryable = (error: unknown): boolean => (idempotent && defaultIsRetryable(error, true)) || decide(error);
  const sleep = options.sleep ?? defaultSleep;
  const { signal } = options;
  if (signal?.aborted) throw signal.reason;

  // one promise that rejects when the signal aborts, raced against every call and every wait
  let onAbort: (() => void) | undefined;
  const aborted = signal
    ? new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      })
    : undefined;
  aborted?.catch(() => {});
  const raceAbort = <V>(promise: Promise<V>): Promise<V> => (aborted ? Promise.race([promise, aborted]) : promise);

  try {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason;
      try {
        return await raceAbort(fn(attempt));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
        let wait = backoffDelay(attempt, options);
        const retryAfterMs = retryAfterOf(error);
        if (retryAfterMs !== undefined) wait = Math.max(wait, retryAfterMs);
        await raceAbort(sleep(wait, signal));
      }
    }
  } finally {
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}
