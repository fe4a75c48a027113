/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/08-retry-backoff/checks.test.ts) of exercise 08, retry with backoff. The code under test never really sleeps: the checks
 * pass their own `sleep`, or use vitest's fake timers for the default one.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { settlement } from '../../toolkit/netsim';
import { retry, callsFor, failsOnceWith, failure, flaky, flush, jitterProperty, recordingSleep } from '../../exercises/08-retry-backoff/harness';
import { canaries } from '../../checker/shared/canary';

describe('backoffDelay', () => {
  it('[2] with jitter, is exactly random() × the capped delay for any attempt, base and cap (property, 1000 more cases)', async () => {
    await jitterProperty({ seed: 8020, runs: 1000 });
  });

  it('[2] with jitter and Math.random, spreads the delays out over [0, delay]', () => {
    const delays = Array.from({ length: 200 }, () => retry.backoffDelay(4, { baseDelayMs: 100, jitter: true }));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(800);
    expect(new Set(delays).size).toBeGreaterThan(150);
    expect(Math.min(...delays)).toBeLessThan(200);
    expect(Math.max(...delays)).toBeGreaterThan(600);
  });
});

describe('withRetry', () => {
  it('[4] makes 3 attempts by default', async () => {
    const { fn, attempts } = flaky(Infinity);
    const { sleep } = recordingSleep();
    await expect(retry.withRetry(fn, { sleep })).rejects.toThrow('failure 3');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('[6] keeps retrying errors that isRetryable accepts', async () => {
    const { fn, attempts } = flaky(2);
    const { sleep } = recordingSleep();
    await expect(retry.withRetry(fn, { maxAttempts: 3, isRetryable: () => true, sleep })).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('[7] does not call at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const { fn, attempts } = flaky(0);
    await expect(retry.withRetry(fn, { signal: controller.signal, sleep: recordingSleep().sleep })).rejects.toThrow('cancelled');
    expect(attempts).toEqual([]);
  });

  it('[8] by default, stops waiting as soon as the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { fn, attempts } = flaky(Infinity);
    const result = settlement(retry.withRetry(fn, { maxAttempts: 3, baseDelayMs: 60_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await vi.advanceTimersByTimeAsync(1);
    expect(result.error).toEqual(new Error('stop'));
    expect(attempts).toEqual([1]);
  });

  it('[6] your own isRetryable replaces the default rule: a 500 it accepts is retried, a refused connection it rejects is not', async () => {
    const { sleep } = recordingSleep();
    const fiveHundred = failsOnceWith(failure.http(500));
    await retry.withRetry(fiveHundred.fn, { isRetryable: () => true, sleep });
    expect(fiveHundred.attempts, 'calls for a 500 that isRetryable accepts').toEqual([1, 2]);
    const refused = failsOnceWith(failure.refused());
    await retry.withRetry(refused.fn, { isRetryable: () => false, sleep }).catch(() => {});
    expect(refused.attempts, 'calls for a refused connection that isRetryable rejects').toEqual([1]);
  });

  it('[6] retries whatever isRetryable accepts, even a thrown null, undefined or string', async () => {
    for (const [what, thrown] of [['null', null], ['undefined', undefined], ['a string', 'overloaded']] as const) {
      const { fn, attempts } = failsOnceWith(thrown);
      const result = await retry.withRetry(fn, { isRetryable: () => true, sleep: recordingSleep().sleep }).then(
        (value) => value,
        (error: unknown) => `rejected with ${String(error)}`,
      );
      expect(result, `a thrown ${what} that isRetryable accepts: read retryAfterMs only from an object that is not null`).toBe('ok');
      expect(attempts, `calls after a thrown ${what}`).toEqual([1, 2]);
    }
  });

  it('[7] stops at once when the signal aborts during a call, even one that aborts it itself before returning', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    // A call that cancels its own operation, then never settles: only the abort can end withRetry.
    const cancelsItself = (attempt: number) => {
      attempts.push(attempt);
      controller.abort(new Error('cancelled by the call'));
      return new Promise<string>(() => {});
    };
    const result = settlement(retry.withRetry(cancelsItself, { signal: controller.signal, sleep: recordingSleep().sleep }));
    await flush();
    expect(result.error, 'the call aborted the signal before returning its promise, and withRetry did not stop: race each call of fn against the signal, and look at signal.aborted too, since an abort listener added after the abort never fires').toEqual(
      new Error('cancelled by the call'),
    );
    expect(attempts).toEqual([1]);
  });

  it('[9] reads the network error code from the cause of fetch\'s "fetch failed" too', async () => {
    expect(await callsFor(failure.fetchFailed('ECONNREFUSED')), 'fetch failed, cause ECONNREFUSED').toBe(2);
    expect(await callsFor(failure.fetchFailed('UND_ERR_CONNECT_TIMEOUT')), 'fetch failed, cause UND_ERR_CONNECT_TIMEOUT (no connection was made)').toBe(2);
    expect(await callsFor(failure.fetchFailed('UND_ERR_SOCKET')), 'fetch failed, cause UND_ERR_SOCKET, by default').toBe(1);
    expect(await callsFor(failure.fetchFailed('UND_ERR_SOCKET'), { idempotent: true }), 'fetch failed, cause UND_ERR_SOCKET, idempotent').toBe(2);
  });

  it('[9] retries a 503 without Retry-After only when the operation is idempotent, and never what is not an object (a string, null)', async () => {
    expect(await callsFor(failure.http(503)), '503 without Retry-After, by default').toBe(1);
    expect(await callsFor(failure.http(503), { idempotent: true }), '503 without Retry-After, idempotent').toBe(2);
    expect(await callsFor('a thrown string', { idempotent: true }), 'a thrown string').toBe(1);
    expect(await callsFor(null, { idempotent: true }), 'a thrown null').toBe(1);
  });

  it('[9] treats a retryAfterMs as "not processed" only on a 503: a 500 or 502 with one is unknown, a 400 with one wrong', async () => {
    expect(await callsFor(failure.http(500, 1000)), '500 with Retry-After, by default').toBe(1);
    expect(await callsFor(failure.http(502, 1000)), '502 with Retry-After, by default').toBe(1);
    expect(await callsFor(failure.http(502, 1000), { idempotent: true }), '502 with Retry-After, idempotent').toBe(2);
    expect(await callsFor(failure.http(400, 1000), { idempotent: true }), '400 with Retry-After, idempotent').toBe(1);
  });

  it('[10] waits the backoff delay when it is longer than retryAfterMs, and respects retryAfterMs with your own isRetryable', async () => {
    const short = failsOnceWith(failure.http(429, 30));
    const shortSleep = recordingSleep();
    await retry.withRetry(short.fn, { sleep: shortSleep.sleep });
    expect(shortSleep.waits, 'Retry-After 30 ms, backoff 100 ms').toEqual([100]);
    const long = failsOnceWith(failure.http(500, 4000));
    const longSleep = recordingSleep();
    await retry.withRetry(long.fn, { isRetryable: () => true, sleep: longSleep.sleep });
    expect(longSleep.waits, 'Retry-After 4 s on an error your isRetryable accepts').toEqual([4000]);
  });

  it('[11] leaves no listener on the signal after a call that gave up, was refused or was aborted', async () => {
    const controller = new AbortController();
    const { sleep } = recordingSleep();
    const gaveUp = flaky(Infinity);
    await expect(retry.withRetry(gaveUp.fn, { signal: controller.signal, sleep }), 'a call that always fails').rejects.toThrow(/ECONNREFUSED/);
    expect(gaveUp.attempts, 'attempts of a call that always fails').toEqual([1, 2, 3]);
    expect(getEventListeners(controller.signal, 'abort'), 'listeners left after the attempts ran out').toHaveLength(0);
    await expect(retry.withRetry(failsOnceWith(failure.http(400)).fn, { signal: controller.signal, sleep }), 'a 400').rejects.toThrow('HTTP 400');
    expect(getEventListeners(controller.signal, 'abort'), 'listeners left after an error that is not retried').toHaveLength(0);
    const aborting = new AbortController();
    const pending = settlement(retry.withRetry(flaky(Infinity).fn, { signal: aborting.signal, sleep: () => new Promise<void>(() => {}) }));
    await flush();
    aborting.abort(new Error('stop'));
    await flush();
    expect(pending.error, 'an aborted call rejects with the reason').toEqual(new Error('stop'));
    expect(getEventListeners(aborting.signal, 'abort'), 'listeners left after an abort').toHaveLength(0);
  });
});

canaries();
