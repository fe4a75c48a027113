/**
 * Exercise 09: a circuit breaker that stops calling a failing service for a while.
 * Read README.md first. Run `npm run grade -- 09` to check your work.
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
  constructor(options: CircuitBreakerOptions = {}) {
    throw new Error('TODO: CircuitBreaker constructor (exercise 09)');
  }

  /** The state now: an open circuit whose cool-down is over reads as half-open. */
  get state(): CircuitState {
    throw new Error('TODO: CircuitBreaker.state (exercise 09)');
  }

  /**
   * Calls `fn` unless the circuit is open.
   * @returns what `fn` returns.
   * @throws CircuitOpenError (as a rejection) without calling `fn` while open; otherwise whatever `fn` throws.
   */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    throw new Error('TODO: CircuitBreaker.call (exercise 09)');
  }
}
