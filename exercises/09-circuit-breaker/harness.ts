/**
 * What the public and hidden checks of exercise 09 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { fc, holdsFor } from '../../checker/shared/property';
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

/**
 * A call made now, through `breaker`, that ends when the check says: `succeed()` makes it succeed,
 * `fail()` makes it fail; each resolves once the breaker has seen the end.
 */
export function callUnderWay(breaker: InstanceType<BreakerModule['CircuitBreaker']>) {
  let succeed!: (value: string) => void;
  let fail!: (error: Error) => void;
  const ended = breaker
    .call(
      () =>
        new Promise<string>((resolve, reject) => {
          succeed = resolve;
          fail = reject;
        }),
    )
    .catch((error: unknown) => error);
  return {
    succeed: async () => {
      succeed('the older call');
      await ended;
    },
    fail: async () => {
      fail(new Error('the older call failed'));
      await ended;
    },
  };
}

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

/**
 * [4] or [6], as `slowCall` says. The cool-down is counted from the moment the call that opened the circuit failed, not from
 * when it started: after a slow failing call (the `failureThreshold`-th failure, or a failed trial)
 * the circuit is still open `resetTimeoutMs - 1` ms after the failure, with `retryAfterMs` 1, and
 * half-open at `resetTimeoutMs`.
 */
export async function coolDownProperty(budget: Budget, slowCall: 'the failure that reaches the threshold' | 'a failed trial'): Promise<void> {
  const cases = fc.record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    resetTimeoutMs: fc.integer({ min: 2, max: 5000 }),
    slowMs: fc.integer({ min: 1, max: 5000 }),
  });
  await holdsFor(
    cases,
    async ({ failureThreshold, resetTimeoutMs, slowMs }) => {
      const { breaker, clock, fail } = setup({ failureThreshold, resetTimeoutMs });
      const slowFailure = () =>
        breaker
          .call(async () => {
            clock.time += slowMs;
            throw new Error('service down, slowly');
          })
          .catch(() => {});
      for (let i = 1; i < failureThreshold; i++) await fail();
      if (slowCall === 'a failed trial') {
        await fail();
        clock.time += resetTimeoutMs;
      }
      const started = clock.time;
      await slowFailure();
      const failedAt = clock.time;
      clock.time = failedAt + resetTimeoutMs - 1;
      const shortened = `the cool-down was counted from when the call started (t=${started}), not from when it failed (t=${failedAt}): read the clock at the failure`;
      if (breaker.state !== 'open') return `${resetTimeoutMs - 1} ms after ${slowCall} the state is ${breaker.state}, not open: ${shortened}`;
      const early = await breaker.call(async () => 'ok').catch((error: unknown) => error);
      if (!(early instanceof cb.CircuitOpenError)) return `${resetTimeoutMs - 1} ms after ${slowCall} a call went through: ${shortened}`;
      if (early.retryAfterMs !== 1) return `${resetTimeoutMs - 1} ms after ${slowCall}, retryAfterMs is ${early.retryAfterMs}, expected 1 (counted from the failure)`;
      clock.time = failedAt + resetTimeoutMs;
      const after: string = breaker.state; // read again: the clock moved
      if (after !== 'half-open') return `${resetTimeoutMs} ms after ${slowCall} the state is ${after}, expected half-open`;
      return undefined;
    },
    {
      ...budget,
      describe: (c) =>
        `failureThreshold ${c.failureThreshold}, resetTimeoutMs ${c.resetTimeoutMs}; ${slowCall} is a call that takes ${c.slowMs} ms and then fails`,
    },
  );
}
