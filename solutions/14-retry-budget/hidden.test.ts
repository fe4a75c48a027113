/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/14-retry-budget/checks.test.ts) of exercise 14, a retry budget.
 */
import { describe, expect, it } from 'vitest';
import { budgetRuns, budgetSteps, budgeting, overloadRun, plainRetry, Unavailable } from '../../exercises/14-retry-budget/harness';
import { playBudgetByTheRules } from './hidden-harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

describe('RetryBudget and withRetryBudget', () => {
  it('[12] property: random requests, outcomes and bucket calls; every step does what the rules say (fast-check, 400 longer runs)', async () => {
    await holds(budgetRuns({ steps: 60, maxAttempts: 8, maxTokens: 6 }), playBudgetByTheRules, { seed: 1014, numRuns: 400, steps: budgetSteps });
  });

  it('[8] keeps retries within the budget over 5000 failing requests of up to 10 attempts', async () => {
    const budget = new budgeting.RetryBudget({ ratio: 0.125, maxTokens: 20 });
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Unavailable('down'));
    };
    for (let request = 0; request < 5_000; request++) await budgeting.withRetryBudget(plainRetry, budget, failing, { maxAttempts: 10 }).catch(() => {});
    expect(attempts - 5_000).toBeLessThanOrEqual(0.125 * 5_000 + 20);
    expect(attempts - 5_000).toBeGreaterThanOrEqual(0.125 * 5_000);
  });

  it('[10] keeps goodput up at 1.5 times the server’s capacity, with at most 10% retries (2 more seeds)', async () => {
    for (const seed of [101, 102]) {
      const run = await overloadRun({ seed, load: 1.5, seconds: 8 });
      expect(run.goodputBetween(0, 8), `seed ${seed}: requests per second that succeeded (capacity 100)`).toBeGreaterThanOrEqual(40);
      expect(run.attempts / run.requests, `seed ${seed}: attempts per request`).toBeLessThanOrEqual(1.1 + 10 / run.requests);
    }
  });

  it('[11] recovers from a two-second stall of the server at 0.8 times its capacity', async () => {
    const run = await overloadRun({ seed: 104, load: 0.8, seconds: 20, stall: { from: 4_000, to: 6_000 } });
    for (const from of [10, 15]) expect(run.goodputBetween(from, from + 5), `goodput from ${from} to ${from + 5} s`).toBeGreaterThanOrEqual(70);
  });
});

canaries();
