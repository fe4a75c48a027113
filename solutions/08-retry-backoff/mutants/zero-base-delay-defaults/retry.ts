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
  const baseDelayMs = options.baseDelayMs || 100;
  const maxDelayMs = options.maxDelayMs || 10_000;
  const capped = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  if (!options.jitter) return capped;
  const random = options.random ?? Math.random;
  return random() * capped;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function field(error: unknown, name: string): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as Record<string, unknown>)[name];
}

function codeOf(error: unknown): unknown {
  const code = field(error, 'code');
  if (code !== undefined) return code;
  return field(field(error, 'cause'), 'code');
}

function retryAfterOf(error: unknown): number | undefined {
  const value = field(error, 'retryAfterMs');
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined;
}

type Verdict = 'not-processed' | 'unknown' | 'wrong';

function classify(error: unknown): Verdict {
  if (typeof error !== 'object' || error === null) return 'wrong';
  const code = codeOf(error);
  const statusValue = field(error, 'status');
  const status = typeof statusValue === 'number' ? statusValue : undefined;
  if (code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'not-processed';
  if (status === 429 || status === 408 || (status === 503 && retryAfterOf(error) !== undefined)) return 'not-processed';
  if (field(error, 'name') === 'TimeoutError' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'unknown';
  if (status !== undefined && status >= 500) return 'unknown';
  return 'wrong';
}

function defaultIsRetryable(error: unknown, idempotent: boolean): boolean {
  const verdict = classify(error);
  return verdict === 'not-processed' || (verdict === 'unknown' && idempotent);
}

/**
 * Calls `fn` until it succeeds, at most `maxAttempts` times, waiting {@link backoffDelay}
 * between attempts (or longer, when the error carries a `retryAfterMs`).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  const idempotent = options.idempotent ?? false;
  const isRetryable = options.isRetryable ?? ((error: unknown) => defaultIsRetryable(error, idempotent));
  const signal = options.signal;
  if (signal?.aborted) throw signal.reason;

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  const race = <V>(p: Promise<V>): Promise<V> => (signal ? Promise.race([p, aborted]) : p);

  try {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason;
      try {
        return await race(Promise.resolve().then(() => fn(attempt)));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
        let wait = backoffDelay(attempt, options);
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined) wait = Math.max(wait, retryAfter);
        await race(sleep(wait, signal));
      }
    }
  } finally {
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}
