/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * checker/checks/) of exercise 08, retry with backoff. The code under test never really sleeps: the checks
 * pass their own `sleep`, or use vitest's fake timers for the default one.
 */
import { describe, expect, it, vi } from 'vitest';
import { settlement } from '../../toolkit/netsim';
import { retry, flaky, recordingSleep } from '../checks/08-retry-backoff.harness';
import { canaries } from '../checks/canary';

describe('backoffDelay', () => {
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
});

canaries();
