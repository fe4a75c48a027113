/**
 * Exercise 09: a circuit breaker that stops calling a failing service for a while.
 * @module
 */

/** closed: calls go through; open: calls fail fast; half-open: one trial call is let through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before it lets a trial call through, in ms. Default 10_000. */
  resetTimeoutMs?: number;
  /** The clock, in ms. Default `Date.now`. */
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

/**
 * Wraps calls to an unreliable dependency. After `failureThreshold` failures in a row it opens
 * and fails every call at once with {@link CircuitOpenError}; after `resetTimeoutMs` it lets one
 * trial call through (half-open): success closes it, failure opens it for another `resetTimeoutMs`.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly resetTimeoutMs: number;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | null = null;
  private trialInProgress = false;
  /** How many times the circuit has opened: a call counts only if it has not opened since the call began. */
  private openings = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.resetTimeoutMs = options.resetTimeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The state now: an open circuit whose cool-down is over reads as half-open. */
  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.resetTimeoutMs ? 'half-open' : 'open';
  }

  /**
   * Calls `fn` unless the circuit is open.
   * @returns what `fn` returns.
   * @throws CircuitOpenError (as a rejection) without calling `fn` while open; otherwise whatever `fn` throws.
   */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open') {
      throw new CircuitOpenError(this.resetTimeoutMs - (this.now() - (this.openedAt as number)));
    }
    if (state === 'half-open') {
      if (this.trialInProgress) throw new CircuitOpenError(0);
      this.trialInProgress = true;
    }
    const openings = this.openings;
    try {
      const result = await fn();
      // A call under way when the circuit opened tells nothing of the service now: it changes nothing.
      if (this.openings === openings) this.onSuccess();
      return result;
    } catch (error) {
      if (this.openings === openings) this.onFailure(state);
      throw error;
    } finally {
      if (state === 'half-open') this.trialInProgress = false;
    }
  }

  private onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  private onFailure(stateAtCall: CircuitState): void {
    this.failures++;
    if (stateAtCall === 'half-open' || this.failures >= this.failureThreshold) this.open();
  }

  /** Opens the circuit now, for `resetTimeoutMs`; the trial that follows starts a count of its own. */
  private open(): void {
    this.openedAt = this.now();
    this.failures = 0;
    this.openings++;
  }
}
