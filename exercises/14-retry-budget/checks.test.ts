/**
 * Checks of exercise 14, a retry budget. Your withRetryBudget wraps the checks' own retry functions;
 * the overload checks run clients and a server on netsim, a simulated network in virtual time,
 * replayed exactly from its seed.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../toolkit/netsim';
import { Unavailable, askingFirstRetry, budgetRuns, budgetSteps, budgeting, flaky, overloadRun, playBudget, plainRetry } from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

/** Settles `promise` and says how. */
const outcome = (promise: Promise<unknown>) => promise.then((value) => ({ value, error: undefined }), (error: unknown) => ({ value: undefined, error }));

describe('RetryBudget and withRetryBudget', () => {
  it('[1] starts with maxTokens, earns ratio per request up to maxTokens, and spends one whole token per retry', () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.25, maxTokens: 2 });
    expect(budget.tokens, 'a new bucket is full').toBe(2);
    budget.onRequest();
    expect(budget.tokens, 'never above maxTokens').toBe(2);
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()], 'two tokens, two retries').toEqual([true, true, false]);
    expect(budget.tokens, 'a refused retry takes nothing').toBe(0);
    for (let i = 0; i < 3; i++) budget.onRequest();
    expect(budget.tokens).toBe(0.75);
    expect(budget.tryRetry(), 'less than a whole token: no retry').toBe(false);
    budget.onRequest();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tokens).toBe(0);
  });

  it('[1] stops at maxTokens also when a request’s share would take the bucket past it', () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.75, maxTokens: 2 });
    budget.tryRetry();
    budget.onRequest();
    expect(budget.tokens, '1 token + 0.75').toBe(1.75);
    budget.onRequest();
    expect(budget.tokens, '1.75 + 0.75 is 2.5: the bucket holds 2, its maxTokens, no more').toBe(2);
  });

  it('[2] holds 10 tokens and earns a tenth of one per request by default', () => {
    const budget = new budgeting.RetryBudget();
    expect(budget.tokens).toBe(10);
    for (let i = 0; i < 10; i++) budget.tryRetry();
    for (let i = 0; i < 15; i++) budget.onRequest();
    expect(budget.tokens).toBeCloseTo(1.5, 9);
  });

  it('[2] takes ratio 0 and maxTokens 0 as given, not as the defaults', () => {
    const noShare = new budgeting.RetryBudget({ ratio: 0, maxTokens: 2 });
    noShare.tryRetry();
    for (let i = 0; i < 5; i++) noShare.onRequest();
    expect(noShare.tokens, 'ratio: 0 earns nothing per request; a default applied with || turns it into 0.1').toBe(1);
    const noReserve = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 0 });
    expect(noReserve.tokens, 'maxTokens: 0 holds no token; a default applied with || turns it into 10').toBe(0);
    noReserve.onRequest();
    expect(noReserve.tryRetry(), 'a bucket of 0 tokens grants no retry').toBe(false);
  });

  it('[3] counts one request per call, however many attempts it makes', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 10 });
    while (budget.tryRetry());
    budget.onRequest();
    budget.onRequest();
    const { fn, calls } = flaky(1);
    await budgeting.withRetryBudget(plainRetry, budget, fn, { maxAttempts: 3 });
    expect(calls.count).toBe(2);
    expect(budget.tokens, '1 token, + 0.5 for the request, - 1 for its retry; the retry earns nothing').toBe(0.5);
  });

  it('[3] counts the request when it starts, before its first attempt: its share can pay for its own retry', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 4 });
    while (budget.tryRetry());
    budget.onRequest();
    const seen: number[] = [];
    const { fn, calls } = flaky(1);
    const watched = (attempt: number) => {
      seen.push(budget.tokens);
      return fn(attempt);
    };
    const result = await outcome(budgeting.withRetryBudget(plainRetry, budget, watched, { maxAttempts: 3 }));
    expect(
      seen[0],
      'the tokens in the bucket when the first attempt ran, 0.5 before the request: the request’s share (0.5) was not in yet. withRetryBudget must call budget.onRequest() when the request starts, before its first attempt, not once its attempts are over (item 3)',
    ).toBe(1);
    expect(calls.count, 'attempts: the request’s own share made a whole token, so its one failure is retried').toBe(2);
    expect(result.value).toBe('ok');
    expect(budget.tokens, '0.5 + 0.5 for the request, - 1 for its retry').toBe(0);
  });

  it('[4] retries a failed attempt while the budget has tokens, one token per retry', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 4 });
    const { fn, calls } = flaky(2);
    const result = await outcome(budgeting.withRetryBudget(plainRetry, budget, fn, { maxAttempts: 3 }));
    expect(result.value, 'two failures, two retries, then success').toBe('ok');
    expect(calls.count).toBe(3);
    expect(budget.tokens, '4 tokens, two retries: 2 left (the request counts before its attempts, when the bucket is full: a full bucket earns nothing, item 3)').toBe(2);
  });

  it('[4] counts the attempts of each request on its own while requests overlap', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 4 });
    const attempts: string[] = [];
    /** Every attempt of request `name` fails, a moment after it starts. */
    const failing = (name: string) => (attempt: number) => {
      attempts.push(`${name}${attempt}`);
      return Promise.resolve().then(() => Promise.reject(new Unavailable(`attempt ${attempt} of ${name} failed`)));
    };
    const both = [failing('a'), failing('b')].map((fn) => outcome(budgeting.withRetryBudget(askingFirstRetry, budget, fn, { maxAttempts: 2 })));
    await Promise.all(both);
    expect(attempts.sort(), 'two overlapping requests of 2 attempts each: each is retried once').toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(budget.tokens, 'two retries, two tokens: the attempt number is each request’s own, not one shared by all requests (a shared one makes one request spend a token for a retry that never comes, or refuses the other its retry)').toBe(2);
  });

  it('[5] with an empty bucket, gives the first failure back at once, with its own error', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 4 });
    while (budget.tryRetry());
    const { fn, calls } = flaky(2);
    const result = await outcome(budgeting.withRetryBudget(plainRetry, budget, fn, { maxAttempts: 3 }));
    expect(calls.count, 'half a token is no retry').toBe(1);
    expect(result.error, 'the caller gets the error of the attempt').toBeInstanceOf(Unavailable);
    expect((result.error as Error).message).toBe('attempt 1 failed');
    expect(budget.tokens).toBe(0.5);
  });

  it('[6] spends no token on a failure that would not be retried: after the last attempt, or not retryable', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.5, maxTokens: 4 });
    await outcome(budgeting.withRetryBudget(askingFirstRetry, budget, flaky(5).fn, { maxAttempts: 3 }));
    expect(budget.tokens, '3 attempts are 2 retries, even when the retry function asks after the last attempt too').toBe(2);
    const refusing = await outcome(budgeting.withRetryBudget(askingFirstRetry, budget, flaky(5).fn, { maxAttempts: 3, isRetryable: () => false }));
    expect(refusing.error, 'the caller’s isRetryable still decides').toBeInstanceOf(Unavailable);
    expect(budget.tokens, 'a failure that is not retryable costs nothing').toBe(2.5);
  });

  it('[7] calls the retry function it is given, once per request, and passes the other options on', async () => {
    const seen: Record<string, unknown>[] = [];
    const spy = <T>(fn: (attempt: number) => Promise<T>, options: { maxAttempts: number; isRetryable?: (error: unknown) => boolean }) => {
      seen.push({ ...options });
      return plainRetry(fn, options);
    };
    const options = { maxAttempts: 4, baseDelayMs: 7, jitter: true };
    await budgeting.withRetryBudget(spy, new budgeting.RetryBudget(), flaky(1).fn, options);
    expect(seen.length, 'one call of the retry function per request').toBe(1);
    expect(seen[0], 'maxAttempts and every other option reach the retry function').toMatchObject({ maxAttempts: 4, baseDelayMs: 7, jitter: true });
    expect(typeof seen[0].isRetryable).toBe('function');
  });

  it('[8] keeps retries within the budget when every attempt fails: at most ratio × requests + maxTokens', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.25, maxTokens: 10 });
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Unavailable('down'));
    };
    for (let request = 0; request < 1_000; request++) await outcome(budgeting.withRetryBudget(plainRetry, budget, failing, { maxAttempts: 5 }));
    const retries = attempts - 1_000;
    expect(retries, 'retries when everything fails (naive retries would make 4000)').toBeLessThanOrEqual(0.25 * 1_000 + 10);
    expect(retries, 'the budget must still grant its share').toBeGreaterThanOrEqual(0.25 * 1_000);
  });

  it('[9] retries every failure while failures are rare (5% of attempts, 500 requests)', async () => {
    const random = new Random(9);
    const budget = new budgeting.RetryBudget();
    let failed = 0;
    const sometimes = () => (random.chance(0.05) ? Promise.reject(new Unavailable('blip')) : Promise.resolve('ok'));
    for (let request = 0; request < 500; request++) {
      const result = await outcome(budgeting.withRetryBudget(plainRetry, budget, sometimes, { maxAttempts: 3 }));
      if (result.error) failed++;
    }
    expect(failed, 'requests that failed although a retry would have saved them').toBe(0);
  });

  it('[10] keeps goodput up at 1.2 times the server’s capacity, with at most 10% retries (2 seeds)', async () => {
    for (const seed of [1, 2]) {
      const run = await overloadRun({ seed, load: 1.2, seconds: 8 });
      expect(run.goodputBetween(0, 8), `seed ${seed}: requests per second that succeeded (capacity 100)`).toBeGreaterThanOrEqual(60);
      expect(run.attempts / run.requests, `seed ${seed}: attempts per request`).toBeLessThanOrEqual(1.1 + 10 / run.requests);
    }
  });

  it('[11] recovers from a one-second stall of the server at 0.8 times its capacity', async () => {
    const run = await overloadRun({ seed: 3, load: 0.8, seconds: 20, stall: { from: 5_000, to: 6_000 } });
    for (const from of [10, 15]) {
      expect(run.goodputBetween(from, from + 5), `goodput from ${from} to ${from + 5} s, after the stall (80 new requests a second)`).toBeGreaterThanOrEqual(70);
    }
  });

  it('[12] property: random requests, outcomes and bucket calls; the bucket within its bounds, one share per request, one whole token per retry, no retry beyond the tokens, maxAttempts or isRetryable, the last attempt’s result, retries within ratio × requests + maxTokens (fast-check, 100 runs)', async () => {
    await holds(budgetRuns({ steps: 25, maxAttempts: 5, maxTokens: 4 }), (run) => playBudget(run), { seed: 14, numRuns: 100, steps: budgetSteps });
  });
});

canaries();
