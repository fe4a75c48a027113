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
    const settings = { failureThreshold: 5, resetTimeoutMs: 10_000, now: Date.now, ...options };
    this.failureThreshold = settings.failureThreshold;
    this.resetTimeoutMs = settings.resetTimeoutMs;
    this.now = settings.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt < this.resetTimeoutMs ? 'open' : 'half-open';
  }

  async call<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    let isTrial = false;
    if (state === 'open') {
      throw new CircuitOpenError(this.resetTimeoutMs - (this.now() - (this.openedAt as number)));
    }
    if (state === 'half-open') {
      if (this.trialRunning) throw new CircuitOpenError(0);
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
