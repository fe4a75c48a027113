/**
 * Exercise 09: a circuit breaker that stops calling a failing service for a while.
 * @module
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeoutMs?: number;
  now?: () => number;
}

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(readonly retryAfterMs: number) {
    super(`circuit open: not calling, try again in ${retryAfterMs} ms`);
  }
}

export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly resetTimeoutMs: number;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | null = null;
  private trialRunning = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt < this.resetTimeoutMs ? 'open' : 'half-open';
  }

  async call<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    let isTrial = false;
    const retryAfterMs = this.openedAt === null ? 0 : this.resetTimeoutMs - (this.now() - this.openedAt);
    if (state === 'open') {
      throw new CircuitOpenError(retryAfterMs);
    }
    if (state === 'half-open') {
      if (this.trialRunning) throw new CircuitOpenError(retryAfterMs);
      this.trialRunning = true;
      isTrial = true;
    }
    try {
      const result = await fn();
      this.failures = 0;
      this.openedAt = null;
      return result;
    } catch (error) {
      this.failures++;
      if (isTrial || this.failures >= this.failureThreshold) {
        this.openedAt = this.now();
      }
      throw error;
    } finally {
      if (isTrial) this.trialRunning = false;
    }
  }
}
