/**
 * What only the hidden checks of exercise 14 use: the README's rules as a small executable model
 * (the bucket, and which failed attempts are retried), which the property runs compare your code
 * with step by step. Kept out of the student release: it is close to a solution.
 */
import { outcome, playBudget, type BudgetJudge, type BudgetRun } from '../../exercises/14-retry-budget/harness';

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A judge that keeps the rules' bucket beside yours and names the first step whose outcome differs from the rules. */
function modelJudge(run: BudgetRun): BudgetJudge {
  let tokens = run.maxTokens;
  return (step, played) => {
    const before = tokens;
    if (step.step === 'onRequest') {
      tokens = Math.min(run.maxTokens, tokens + run.ratio);
    } else if (step.step === 'tryRetry') {
      const due = tokens >= 1;
      if (played.granted !== due) return `tryRetry() answered ${played.granted} with ${before} tokens in the bucket: ${due ? 'a whole token is there to take' : 'less than one token grants no retry'} (item 1)`;
      if (due) tokens -= 1;
    } else {
      tokens = Math.min(run.maxTokens, tokens + run.ratio);
      // The rules: retry a failed attempt while attempts are left, the caller allows it and a whole token is there.
      let attempts = 1;
      while (step.fails[attempts - 1] && attempts < step.maxAttempts && step.retryable !== 'no' && tokens >= 1) {
        tokens -= 1;
        attempts++;
      }
      const calls = played.calls ?? 0;
      if (calls !== attempts) {
        const why =
          calls > attempts
            ? `with ${round(Math.min(run.maxTokens, before + run.ratio))} tokens after the request earned its share, the budget grants only ${attempts - 1} ${attempts - 1 === 1 ? 'retry' : 'retries'} (items 4, 5)`
            : `the budget had tokens for ${attempts - 1} ${attempts - 1 === 1 ? 'retry' : 'retries'} and the failures were retryable (items 4, 9)`;
        return `${calls} ${calls === 1 ? 'attempt was' : 'attempts were'} made, but the rules make ${attempts}: ${why}`;
      }
      const expected = outcome(attempts, step.fails[attempts - 1] ?? false);
      if (played.result !== expected) return `withRetryBudget ${played.result}, but the rules say it ${expected} (items 4, 5)`;
    }
    if (Math.abs(played.tokens - tokens) > 1e-9) {
      return `the bucket holds ${played.tokens} tokens afterwards, but the rules leave ${tokens} (from ${before}: + ${run.ratio} per request, up to ${run.maxTokens}; - 1 per retry made; nothing for a failure not retried; items 1, 3, 6)`;
    }
    return undefined;
  };
}

/** {@link playBudget} with the model of the rules: every step does exactly what the rules say. */
export const playBudgetByTheRules = (run: BudgetRun): Promise<void> => playBudget(run, modelJudge(run));
