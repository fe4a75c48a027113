/**
 * Exercise 08: retry a failing call with exponential backoff, a cap, optional jitter and abort.
 * @module
 */

export interface BackoffOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  jitter?: boolean;
  random?: () => number;
}

export interface RetryOptions extends BackoffOptions {
  maxAttempts?: number;
  idempotent?: boolean;
  isRetryable?: (error: unknown) => boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return options.jitter ? random() * delay : delay;
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

function codesOf(error: unknown): unknown[] {
  return [field(error, 'code'), field(field(error, 'cause'), 'code')];
}

function retryAfterOf(error: unknown): number | undefined {
  const v = field(error, 'retryAfterMs');
  return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
}

function defaultIsRetryable(error: unknown, idempotent: boolean): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const codes = codesOf(error);
  const status = field(error, 'status');
  // not processed
  if (codes.includes('ECONNREFUSED') || codes.includes('UND_ERR_CONNECT_TIMEOUT')) return true;
  if (status === 429 || status === 408) return true;
  if (status === 503 && retryAfterOf(error) !== undefined) return true;
  // unknown
  if (field(error, 'name') === 'TimeoutError' || codes.includes('ECONNRESET') || codes.includes('UND_ERR_SOCKET')) {
    return idempotent;
  }
  if (typeof status === 'number' && status >= 500) return idempotent;
  // wrong
  return false;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  const idempotent = options.idempotent ?? false;
  const isRetryable = options.isRetryable ?? ((e: unknown) => defaultIsRetryable(e, idempotent));
  const { signal } = options;
  if (signal?.aborted) throw signal.reason;

  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});

  try {
    for (let attempt = 1; ; attempt++) {
      try {
        let call: Promise<T>;
        try {
          call = fn(attempt);
        } catch (e) {
          call = Promise.reject(e);
        }
        return await Promise.race([call, aborted]);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        const retryAfter = retryAfterOf(error);
        // the server said how long to wait: do that, else back off
        const wait = retryAfter ?? backoffDelay(attempt, options);
        await Promise.race([sleep(wait, signal), aborted]);
        if (signal?.aborted) throw signal.reason;
      }
    }
  } finally {
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}
