/**
 * Exercise 09: a circuit breaker that stops calling a failing service for a while.
 * @module
 */

/** closed: calls go through; open: calls fail fast; half-open: one trial call is let through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeoutMs?: number;
  now?: () => number;
}

/** The call was not made because the circuit is open (or its one trial call is under way). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(
    /** How long until a trial call will be let through, in ms (0 while a trial is under way). */
    readonly retryAfterMs: number,
  ) {
    super(`circuit open: not calling, try again in ${retryAfterMs} ms`);
  }
}

export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly resetTimeoutMs: number;
  private readonly now: () => number;
  private failures = 0;
  /** When the circuit last opened; null while closed. */
  private openedAt: number | null = null;
  private trialRunning = false;
  /** Bumped at every change of state, so that a call's outcome only counts in the period it started in. */
  private generation = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    if (this.trialRunning) return 'half-open';
    return this.now() - this.openedAt >= this.resetTimeoutMs ? 'half-open' : 'open';
  }

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.openedAt !== null) {
      if (this.trialRunning) throw new CircuitOpenError(0);
      const elapsed = this.now() - this.openedAt;
      if (elapsed < this.resetTimeoutMs) throw new CircuitOpenError(this.resetTimeoutMs - elapsed);
      return this.trial(fn);
    }
    const generation = this.generation;
    try {
      const result = await fn();
      if (generation === this.generation) this.failures = 0;
      return result;
    } catch (error) {
      if (generation === this.generation) {
        this.failures += 1;
        if (this.failures >= this.failureThreshold) this.open();
      } else if (this.openedAt !== null && !this.trialRunning) {
        // a call that was already under way failed too: the service is still down, keep it open
        this.open();
      }
      throw error;
    }
  }


  private async trial<T>(fn: () => Promise<T>): Promise<T> {
    this.trialRunning = true;
    const generation = ++this.generation;
    try {
      const result = await fn();
      if (generation === this.generation) {
        this.trialRunning = false;
        this.openedAt = null;
        this.failures = 0;
        this.generation += 1;
      }
      return result;
    } catch (error) {
      if (generation === this.generation) {
        this.trialRunning = false;
        this.open();
      }
      throw error;
    }
  }

  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.generation += 1;
  }
}
