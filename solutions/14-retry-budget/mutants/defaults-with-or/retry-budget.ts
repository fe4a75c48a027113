/**
 * Exercise 14: a retry budget, a token bucket over the ratio of retries to requests, around a
 * `withRetry`-style function.
 * @module
 */

export interface RetryBudgetOptions {
  ratio?: number;
  maxTokens?: number;
}

export interface RetryControl {
  maxAttempts: number;
  isRetryable?: (error: unknown) => boolean;
}

export type RetryFunction = <T>(fn: (attempt: number) => Promise<T>, options: RetryControl) => Promise<T>;

export class RetryBudget {
  private readonly ratio: number;
  private readonly maxTokens: number;
  private bucket: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio || 0.1;
    this.maxTokens = options.maxTokens || 10;
    this.bucket = this.maxTokens;
  }

  get tokens(): number {
    return this.bucket;
  }

  onRequest(): void {
    this.bucket = Math.min(this.maxTokens, this.bucket + this.ratio);
  }

  tryRetry(): boolean {
    if (this.bucket < 1) return false;
    this.bucket -= 1;
    return true;
  }
}

export function withRetryBudget<T>(retry: RetryFunction, budget: RetryBudget, fn: (attempt: number) => Promise<T>, options: RetryControl): Promise<T> {
  budget.onRequest();
  let lastAttempt = 0;
  const callerIsRetryable = options.isRetryable;
  const isRetryable = (error: unknown): boolean =>
    lastAttempt < options.maxAttempts && (callerIsRetryable ? callerIsRetryable(error) : true) && budget.tryRetry();
  const attempt = (n: number): Promise<T> => {
    lastAttempt = n;
    return fn(n);
  };
  return retry(attempt, { ...options, isRetryable });
}
