/**
 * What the public and hidden checks of exercise 09 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
type BreakerModule = typeof import('@submission/09-circuit-breaker/circuit-breaker');

export let cb: BreakerModule;

beforeEach(async () => {
  cb = await import('@submission/09-circuit-breaker/circuit-breaker');
});

/** A breaker on a hand-moved clock, with calls that succeed or fail on demand. */
export function setup(options: { failureThreshold?: number; resetTimeoutMs?: number } = { failureThreshold: 3, resetTimeoutMs: 1000 }) {
  const clock = { time: 10_000 };
  const breaker = new cb.CircuitBreaker({ ...options, now: () => clock.time });
  let calls = 0;
  const succeed = () =>
    breaker.call(async () => {
      calls++;
      return 'ok';
    });
  const fail = () =>
    breaker
      .call(async () => {
        calls++;
        throw new Error('service down');
      })
      .catch((error: unknown) => error);
  return { breaker, clock, succeed, fail, calls: () => calls };
}
