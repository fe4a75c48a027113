/**
 * Exercise 14: a retry budget, a token bucket over the ratio of retries to requests, around a
 * `withRetry`-style function.
 * Read README.md first. Run `npm run grade -- 14` to check your work.
 * @module
 */

/** Options of a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** The share of a token each request earns. Default 0.1: retries are at most 10% of requests. */
  ratio?: number;
  /** The most tokens the bucket holds, and what it starts with. Default 10. */
  maxTokens?: number;
}

/** What the wrapped retry function is given: how often to try, and whether an error is worth another try. */
export interface RetryControl {
  maxAttempts: number;
  isRetryable?: (error: unknown) => boolean;
}

/** A `withRetry`-style function (exercise 08's fits): calls `fn` until it succeeds or may not retry. */
export type RetryFunction = <T>(fn: (attempt: number) => Promise<T>, options: RetryControl) => Promise<T>;

/**
 * A token bucket over the ratio of retries to requests: every request earns `ratio` of a token (up
 * to `maxTokens`), every retry costs a whole one, and without a whole token there is no retry.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly maxTokens: number;
  private value: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.1;
    this.maxTokens = options.maxTokens ?? 10;
    this.value = this.maxTokens;
  }

  /** The tokens in the bucket now. */
  get tokens(): number {
    return this.value;
  }

  /** A request starts: it earns `ratio` of a token, up to `maxTokens`. */
  onRequest(): void {
    this.value = Math.min(this.maxTokens, this.value + this.ratio);
  }

  /** Takes one token for a retry and returns true, or returns false (and takes nothing) when there is no whole token. */
  tryRetry(): boolean {
    if (this.value < 1) return false;
    this.value -= 1;
    return true;
  }
}

/**
 * Calls `fn` through `retry` as one request of `budget`: a failed attempt is retried only when the
 * retry function would retry it anyway and the budget grants a token; otherwise its error goes back
 * to the caller at once. Every other option is passed on to `retry` unchanged.
 */
export function withRetryBudget<T>(retry: RetryFunction, budget: RetryBudget, fn: (attempt: number) => Promise<T>, options: RetryControl): Promise<T> {
  let attempt = 0;
  const callerRetryable = options.isRetryable ?? (() => true);
  const attemptFn = (n: number): Promise<T> => {
    attempt = n;
    return fn(n);
  };
  const isRetryable = (error: unknown): boolean =>
    attempt < options.maxAttempts && callerRetryable(error) && budget.tryRetry();
  // The request counts once, whatever its attempts did.
  return retry(attemptFn, { ...options, isRetryable }).finally(() => budget.onRequest());
}
