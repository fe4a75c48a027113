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
  const { baseDelayMs = 100, maxDelayMs = 10_000, jitter = false, random = Math.random } = options;
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return jitter ? random() * delay : delay;
}

/** A failure as the default rule sees it: its network error code (own or `cause`'s), HTTP status, `Retry-After`, name. */
interface FailureFacts {
  code?: unknown;
  cause?: { code?: unknown };
  status?: unknown;
  retryAfterMs?: unknown;
  name?: unknown;
}

/** What a failure says about the request (lesson 07): it was not processed, its outcome is unknown, or it is wrong. */
function verdictOf(error: unknown): 'not processed' | 'unknown' | 'wrong' {
  const facts: FailureFacts = typeof error === 'object' && error !== null ? error : {};
  if (typeof facts.status === 'number') {
    const { status } = facts;
    if (status === 429 || status === 408 || (status === 503 && typeof facts.retryAfterMs === 'number')) return 'not processed';
    return status >= 500 ? 'unknown' : 'wrong';
  }
  if (facts.name === 'TimeoutError') return 'unknown';
  const code = facts.code ?? facts.cause?.code;
  // No connection was made, so the request was never sent.
  if (code === 'ECONNREFUSED' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'not processed';
  // The connection broke after the request may have left; any other failure is most likely a bug.
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'unknown' : 'wrong';
}

/** Lesson 07's rule: retry what was certainly not processed; what may have been, only when repeating it is harmless. */
function isRetryableByDefault(error: unknown, idempotent: boolean): boolean {
  const verdict = verdictOf(error);
  return verdict === 'not processed' || (verdict === 'unknown' && idempotent);
}

/** The wait the server asked for (`Retry-After`, as `retryAfterMs` on the error), or 0. */
function serverAskedMs(error: unknown): number {
  const retryAfterMs = typeof error === 'object' && error !== null ? (error as FailureFacts).retryAfterMs : undefined;
  return typeof retryAfterMs === 'number' ? retryAfterMs : 0;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
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
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
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
  const { maxAttempts = 3, idempotent = false, sleep = defaultSleep, signal } = options;
  const isRetryable = options.isRetryable ?? ((error: unknown) => isRetryableByDefault(error, idempotent));
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let waitMs: number;
    try {
      return await unlessAborted(fn(attempt), signal);
    } catch (error) {
      if (signal?.aborted || attempt >= maxAttempts || !isRetryable(error)) throw error;
      waitMs = Math.max(backoffDelay(attempt, options), serverAskedMs(error)); // never sooner than the server asked
    }
    await unlessAborted(sleep(waitMs, signal), signal);
  }
}
