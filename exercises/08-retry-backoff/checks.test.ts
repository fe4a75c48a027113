/**
 * Checks of exercise 08, retry with backoff. The code under test never really sleeps: the checks
 * pass their own `sleep`, or use vitest's fake timers for the default one.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { settlement } from '../../toolkit/netsim';
import { retry, callsFor, failsOnceWith, failure, flaky, flush, jitterProperty, recordingSleep } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('backoffDelay', () => {
  it('[1] doubles the delay from baseDelayMs: 100, 200, 400, 800 ms', () => {
    const delays = [1, 2, 3, 4].map((attempt) => retry.backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 100_000 }));
    expect(delays).toEqual([100, 200, 400, 800]);
  });

  it('[1] never waits longer than maxDelayMs', () => {
    const delays = [5, 6, 10, 30].map((attempt) => retry.backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1000 }));
    expect(delays).toEqual([1000, 1000, 1000, 1000]);
    expect(retry.backoffDelay(4, { baseDelayMs: 100, maxDelayMs: 1000 })).toBe(800);
  });

  it('[1] uses 100 ms as the default base delay', () => {
    expect([1, 2].map((attempt) => retry.backoffDelay(attempt))).toEqual([100, 200]);
  });

  it('[1] takes a baseDelayMs or maxDelayMs of 0 as given: no wait, not the default', () => {
    expect([1, 2, 3].map((attempt) => retry.backoffDelay(attempt, { baseDelayMs: 0 })), 'the delays with baseDelayMs: 0 (0 × 2^n is 0; was 0 replaced by the default 100, with || instead of ??)').toEqual([0, 0, 0]);
    expect([1, 2, 3].map((attempt) => retry.backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 0 })), 'the delays with maxDelayMs: 0 (never more than 0; was 0 replaced by the default 10,000, with || instead of ??)').toEqual([0, 0, 0]);
  });

  it('[2] with jitter, draws the delay from [0, delay] using the random source', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 100_000, jitter: true };
    expect(retry.backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
    expect(retry.backoffDelay(3, { ...options, random: () => 0.5 })).toBeCloseTo(200);
    expect(retry.backoffDelay(3, { ...options, random: () => 0.999 })).toBeCloseTo(399.6);
  });

  it('[2] with jitter, is exactly random() × the capped delay for any attempt, base and cap (property, 100 cases)', async () => {
    await jitterProperty({ seed: 802, runs: 100 });
  });

  it('[2] with jitter, keeps every delay within [0, maxDelayMs], even late attempts', () => {
    for (const attempt of [1, 5, 10, 20, 40]) {
      const delay = retry.backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 1000, jitter: true, random: () => 0.999 });
      expect(delay, `attempt ${attempt}`).toBeGreaterThanOrEqual(0);
      expect(delay, `attempt ${attempt}`).toBeLessThanOrEqual(1000);
    }
  });
});

describe('withRetry', () => {
  it('[3] returns at once when the first call succeeds, without sleeping', async () => {
    const { fn, attempts } = flaky(0);
    const { sleep, waits } = recordingSleep();
    await expect(retry.withRetry(fn, { sleep })).resolves.toBe('ok');
    expect(attempts).toEqual([1]);
    expect(waits).toEqual([]);
  });

  it('[3] retries a failed call after 100 ms, then 200 ms, and returns the first success', async () => {
    const { fn, attempts } = flaky(2);
    const { sleep, waits } = recordingSleep();
    await expect(retry.withRetry(fn, { maxAttempts: 5, sleep })).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 200]);
  });

  it('[3] waits for each call to settle: a call that fails a while later is retried too', async () => {
    const attempts: number[] = [];
    const slowly = (attempt: number) => {
      attempts.push(attempt);
      return new Promise<string>((resolve, reject) => setImmediate(() => (attempt < 2 ? reject(failure.refused(`late failure ${attempt}`)) : resolve('ok'))));
    };
    const { sleep } = recordingSleep();
    const result = await retry.withRetry(slowly, { maxAttempts: 3, sleep }).then(
      (value) => value,
      (error: unknown) => error,
    );
    if (result instanceof Error && attempts.length === 1) {
      throw new Error(
        "withRetry rejected with the first call's error without a second call. Inside try, is the call awaited? " +
          '`return await fn(attempt)` waits for it; a bare `return fn(attempt)` leaves try at once, and the rejection that comes later escapes the catch.',
      );
    }
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2]);
  });

  it('[4] makes exactly maxAttempts calls, then rethrows the last error', async () => {
    const { fn, attempts } = flaky(Infinity);
    const { sleep, waits } = recordingSleep();
    await expect(retry.withRetry(fn, { maxAttempts: 4, sleep })).rejects.toThrow('failure 4');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('[5] caps the waits at maxDelayMs', async () => {
    const { fn } = flaky(Infinity);
    const { sleep, waits } = recordingSleep();
    await expect(retry.withRetry(fn, { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 300, sleep })).rejects.toThrow();
    expect(waits).toEqual([50, 100, 200, 300, 300]);
  });

  it('[6] does not retry an error that isRetryable rejects', async () => {
    const fatal = new Error('400 Bad Request');
    const fn = vi.fn(async () => {
      throw fatal;
    });
    const { sleep, waits } = recordingSleep();
    const isRetryable = vi.fn((error: unknown) => error !== fatal);
    await expect(retry.withRetry(fn, { maxAttempts: 5, isRetryable, sleep })).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(waits).toEqual([]);
    expect(isRetryable).toHaveBeenCalledWith(fatal);
  });

  it('[6] lets your own isRetryable decide alone: idempotent: true adds no retry to it', async () => {
    for (const [what, error] of [['500', failure.http(500)], ['a timeout (TimeoutError)', failure.timeout()], ['ECONNREFUSED', failure.refused()]] as const) {
      const { fn, attempts } = failsOnceWith(error);
      await retry.withRetry(fn, { idempotent: true, isRetryable: () => false, sleep: recordingSleep().sleep }).catch(() => {});
      expect(
        attempts.length,
        `calls for ${what} with idempotent: true and an isRetryable that always says no: idempotent: true added the default rule's retries on top of your own isRetryable. Your own isRetryable replaces the default rule entirely; idempotent changes only the default rule (item 6)`,
      ).toBe(1);
    }
  });

  it('[5] passes jitter options on to the waits', async () => {
    const { fn } = flaky(3);
    const { sleep, waits } = recordingSleep();
    await retry.withRetry(fn, { maxAttempts: 4, jitter: true, random: () => 0.5, sleep });
    expect(waits).toEqual([50, 100, 200]);
  });

  it('[7] stops at once when the signal aborts during a wait, and rejects with its reason', async () => {
    const controller = new AbortController();
    const { fn, attempts } = flaky(Infinity);
    // A sleep that never ends by itself: only the abort can end the wait.
    const sleep = () => new Promise<void>(() => {});
    const result = settlement(retry.withRetry(fn, { maxAttempts: 5, signal: controller.signal, sleep }));
    await flush();
    expect(attempts).toEqual([1]);
    controller.abort(new Error('user gave up'));
    await flush();
    expect(result.error).toEqual(new Error('user gave up'));
    expect(attempts).toEqual([1]);
  });

  it('[7] stops at once when the signal aborts while a call is still pending, and rejects with its reason', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    // A call that never settles by itself: only the abort can end withRetry.
    const hangs = (attempt: number) => {
      attempts.push(attempt);
      return new Promise<string>(() => {});
    };
    const result = settlement(retry.withRetry(hangs, { signal: controller.signal, sleep: recordingSleep().sleep }));
    await flush();
    expect(attempts, 'calls of fn before the abort').toEqual([1]);
    controller.abort(new Error('user gave up'));
    await flush();
    expect(
      result.settled ? result.error : 'still waiting for the call',
      'the signal aborted while a call of fn was still pending, and withRetry did not stop: race each call of fn against the signal too, not only the waits (item 7)',
    ).toEqual(new Error('user gave up'));
    expect(attempts, 'calls of fn after the abort').toEqual([1]);
  });

  it('[8] sleeps with setTimeout by default: the second attempt comes 100 ms after the first', async () => {
    vi.useFakeTimers();
    const { fn, attempts } = flaky(1);
    const result = settlement(retry.withRetry(fn));
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([1, 2]);
    expect(result.value).toBe('ok');
  });

  it('[8] by default, clears its timer when the signal aborts a wait: no timer is left pending', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { fn } = flaky(Infinity);
    const result = settlement(retry.withRetry(fn, { baseDelayMs: 60_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await vi.advanceTimersByTimeAsync(0);
    expect(result.error).toEqual(new Error('stop'));
    expect(vi.getTimerCount(), 'timers left pending after the abort: the default sleep must clearTimeout when the signal aborts').toBe(0);
  });

  it('[9] by default, retries what was certainly not processed: a refused connection, 429, 408, 503 with Retry-After', async () => {
    const notProcessed = [
      ['ECONNREFUSED', failure.refused()],
      ['429 Too Many Requests', failure.http(429)],
      ['408 Request Timeout', failure.http(408)],
      ['503 with Retry-After', failure.http(503, 0)],
    ] as const;
    for (const [what, error] of notProcessed) expect(await callsFor(error), `calls for ${what}: not processed, so safe to retry`).toBe(2);
  });

  it('[9] by default, reads a plain object the same way as an Error: { status: 429 } and { code: "ECONNREFUSED" } are retried', async () => {
    for (const [what, error] of [['{ status: 429 }', { status: 429 }], ["{ code: 'ECONNREFUSED' }", { code: 'ECONNREFUSED' }], ['{ status: 503, retryAfterMs: 0 }', { status: 503, retryAfterMs: 0 }]] as const) {
      expect(
        await callsFor(error),
        `calls for a thrown plain object ${what}, not an Error: it was not retried. The default rule reads the properties of whatever object was thrown; do not require instanceof Error (item 9)`,
      ).toBe(2);
    }
  });

  it('[9] by default, retries a refused connection that fetch reports in the cause of its TypeError', async () => {
    expect(
      await callsFor(failure.fetchFailed('ECONNREFUSED')),
      'calls for fetch\'s TypeError "fetch failed" whose cause has the code ECONNREFUSED: it was not retried, read the code from error.cause too, where fetch keeps it (item 9)',
    ).toBe(2);
  });

  it('[9] by default, does not retry what may have been processed: a timeout, a reset, 500, 502, 504', async () => {
    const unknown = [
      ['a timeout (TimeoutError)', failure.timeout()],
      ['ECONNRESET', failure.reset()],
      ['500', failure.http(500)],
      ['502', failure.http(502)],
      ['504', failure.http(504)],
    ] as const;
    for (const [what, error] of unknown) {
      expect(await callsFor(error), `calls for ${what}: it may have been processed, and the operation was not said to be idempotent`).toBe(1);
    }
  });

  it('[9] with idempotent: true, retries a timeout, a reset, 500, 502 and 504 too', async () => {
    const unknown = [
      ['a timeout (TimeoutError)', failure.timeout()],
      ['ECONNRESET', failure.reset()],
      ['UND_ERR_SOCKET', failure.reset('UND_ERR_SOCKET')],
      ['500', failure.http(500)],
      ['502', failure.http(502)],
      ['504', failure.http(504)],
    ] as const;
    for (const [what, error] of unknown) expect(await callsFor(error, { idempotent: true }), `calls for ${what} when the operation is idempotent`).toBe(2);
  });

  it('[9] never retries a wrong request (400, 404) or a bug in the caller (TypeError), idempotent or not', async () => {
    const wrong = [
      ['400', failure.http(400)],
      ['404', failure.http(404)],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ] as const;
    for (const [what, error] of wrong) {
      expect(await callsFor(error), `calls for ${what}`).toBe(1);
      expect(await callsFor(error, { idempotent: true }), `calls for ${what}, idempotent`).toBe(1);
    }
  });

  it('[10] waits at least the retryAfterMs the server asked for', async () => {
    const errors = [failure.http(503, 1500), failure.http(429, 2500)];
    const fn = async (attempt: number) => {
      if (attempt <= errors.length) throw errors[attempt - 1];
      return 'ok';
    };
    const { sleep, waits } = recordingSleep();
    await expect(retry.withRetry(fn, { maxAttempts: 3, sleep })).resolves.toBe('ok');
    expect(waits, 'the waits: Retry-After asked for 1.5 s, then 2.5 s').toEqual([1500, 2500]);
  });

  it('[10] waits the backoff delay when it is longer than the retryAfterMs the server asked for', async () => {
    for (const retryAfterMs of [30, 0]) {
      const { fn } = failsOnceWith(failure.http(503, retryAfterMs));
      const { sleep, waits } = recordingSleep();
      await retry.withRetry(fn, { sleep });
      expect(
        waits,
        `the wait after a 503 with a Retry-After of ${retryAfterMs} ms, where the backoff is 100 ms: the wait is the longer of the two, max(backoffDelay, retryAfterMs), not the Retry-After alone (item 10)`,
      ).toEqual([100]);
    }
  });

  it('[10] waits the whole retryAfterMs also when it is longer than maxDelayMs: the cap is for the backoff only', async () => {
    const { fn } = failsOnceWith(failure.http(503, 5000));
    const { sleep, waits } = recordingSleep();
    await retry.withRetry(fn, { sleep, maxDelayMs: 1000 });
    expect(waits, 'the wait after a 503 with a Retry-After of 5000 ms, with maxDelayMs 1000: max(backoffDelay, retryAfterMs) is 5000; maxDelayMs caps backoffDelay, not what the server asked for (item 10)').toEqual([5000]);
  });

  it('[10] counts only a numeric retryAfterMs: a string such as "2000" does not lengthen the wait', async () => {
    const { fn } = failsOnceWith(Object.assign(new Error('HTTP 429'), { status: 429, retryAfterMs: '2000' }));
    const { sleep, waits } = recordingSleep();
    await retry.withRetry(fn, { sleep });
    expect(waits, 'the wait after a 429 whose retryAfterMs is the string "2000": only a number counts (do not convert it with Number()), so the wait is the backoff, 100 ms (item 10)').toEqual([100]);
  });

  it('[9] by default, does not take a 503 whose retryAfterMs is a string for one with Retry-After', async () => {
    const error = Object.assign(new Error('HTTP 503'), { status: 503, retryAfterMs: '2000' });
    expect(await callsFor(error), 'calls for a 503 whose retryAfterMs is the string "2000": not a numeric retryAfterMs, so a 503 without one, which may have been processed: not retried without idempotent (item 9)').toBe(1);
    expect(await callsFor(error, { idempotent: true }), 'calls for the same 503 with idempotent: true').toBe(2);
  });

  it('[11] leaves no listener on the signal: 20 calls in a row with one signal leave none', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    for (let call = 1; call <= 20; call++) {
      const { fn } = flaky(1);
      const result = settlement(retry.withRetry(fn, { signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(100);
      expect(result.value, `call ${call}`).toBe('ok');
      expect(getEventListeners(controller.signal, 'abort'), `'abort' listeners left on the signal after call ${call} settled`).toHaveLength(0);
    }
  });
});

canaries();
