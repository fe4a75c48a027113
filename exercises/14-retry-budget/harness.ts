/**
 * What the public and hidden checks of exercise 14 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import fc from 'fast-check';
import { Network, Random, fixed, type Endpoint } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';

type BudgetModule = typeof import('@submission/14-retry-budget/retry-budget');
type RetryControl = import('@submission/14-retry-budget/retry-budget').RetryControl;
export let budgeting: BudgetModule;

beforeEach(async () => {
  budgeting = await import('@submission/14-retry-budget/retry-budget');
});

/** The server: one worker; reading a request costs READ_MS, working on it WORK_MS on average. */
const READ_MS = 4;
const WORK_MS = 6;
/** Requests per second the server can serve. */
const CAPACITY_PER_SECOND = 1000 / (READ_MS + WORK_MS);
const QUEUE_BOUND = 20;
const ATTEMPT_TIMEOUT_MS = 300;
/** A request's user waits this long, retries included. */
const PATIENCE_MS = 1_000;

interface Attempt {
  id: string;
  deadline: number;
}
interface Answer {
  id: string;
  ok: boolean;
}

/** One worker; reading a request (to accept it, or refuse it when 20 wait) comes before working. */
function startServer(node: Endpoint, random: Random, stall?: { from: number; to: number }): void {
  const unread: { from: string; attempt: Attempt }[] = [];
  const accepted: { from: string; attempt: Attempt }[] = [];
  let busy = false;
  const occupy = (ms: number, then: () => void) => {
    busy = true;
    node.setTimeout(() => {
      busy = false;
      then();
      next();
    }, ms);
  };
  function next(): void {
    if (busy) return;
    if (stall && node.now() >= stall.from && node.now() < stall.to) return occupy(stall.to - node.now(), () => {});
    const request = unread.shift();
    if (request) {
      return occupy(READ_MS, () => {
        if (accepted.length < QUEUE_BOUND) accepted.push(request);
        else node.send(request.from, { id: request.attempt.id, ok: false } satisfies Answer);
      });
    }
    let work = accepted.shift();
    while (work && node.now() > work.attempt.deadline) work = accepted.shift(); // its caller has gone
    if (work) {
      const { from, attempt } = work;
      occupy(random.exponential(WORK_MS), () => node.send(from, { id: attempt.id, ok: true } satisfies Answer));
    }
  }
  node.onMessage<Attempt>((m) => {
    unread.push({ from: m.from, attempt: m.payload });
    next();
  });
  if (stall) node.setTimeout(next, stall.from);
}

/** The error of an attempt that was refused or timed out. */
export class Unavailable extends Error {}

/**
 * A `withRetry` in virtual time: full-jitter backoff from 50 ms, and no retry its user would not
 * wait for. It asks `isRetryable` last, only when it would retry otherwise.
 */
function retryIn(node: Endpoint, random: Random, counts: { retries: number }) {
  return async <T>(fn: (attempt: number) => Promise<T>, options: RetryControl): Promise<T> => {
    const givesUpAt = node.now() + PATIENCE_MS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn(attempt);
      } catch (error) {
        const delay = random.uniform(0, 50 * 2 ** (attempt - 1));
        const retryable = options.isRetryable ?? (() => true);
        if (attempt >= options.maxAttempts || node.now() + delay >= givesUpAt || !retryable(error)) throw error;
        counts.retries++;
        await new Promise<void>((resolve) => node.setTimeout(resolve, delay));
      }
    }
  };
}

/**
 * `seconds` of new requests at `load` × the server's capacity (random arrival times), each made with
 * up to 3 attempts through your withRetryBudget and one RetryBudget for all clients (or, with
 * `budget: false`, through the plain retry function). Goodput: requests per second that succeeded.
 */
export async function overloadRun(options: { seed: number; load: number; seconds: number; budget?: boolean; stall?: { from: number; to: number } }) {
  const { seed, load, seconds } = options;
  const net = traced(new Network({ seed, faults: { delay: fixed(1) } }), seed);
  const random = new Random(seed);
  startServer(net.addNode('server'), new Random(seed + 1), options.stall);
  const clients = net.addNode('clients');
  const waiting = new Map<string, (answer: Answer | undefined) => void>();
  clients.onMessage<Answer>((m) => waiting.get(m.payload.id)?.(m.payload));
  const counts = { requests: 0, attempts: 0, retries: 0 };
  const succeededAt: number[] = [];
  const retry = retryIn(clients, random, counts);
  const budget = new budgeting.RetryBudget();

  const call = (request: number) => (attempt: number) =>
    new Promise<void>((resolve, reject) => {
      counts.attempts++;
      const id = `${request}/${attempt}`;
      const settle = (answer: Answer | undefined) => {
        waiting.delete(id);
        clients.clearTimeout(timer);
        if (answer?.ok) resolve();
        else reject(new Unavailable(answer ? '503' : 'timed out'));
      };
      const timer = clients.setTimeout(() => settle(undefined), ATTEMPT_TIMEOUT_MS);
      waiting.set(id, settle);
      clients.send('server', { id, deadline: clients.now() + ATTEMPT_TIMEOUT_MS } satisfies Attempt);
    });

  for (let t = random.exponential(1000 / (load * CAPACITY_PER_SECOND)); t < seconds * 1000; t += random.exponential(1000 / (load * CAPACITY_PER_SECOND))) {
    const request = ++counts.requests;
    net.clock.setTimeout(() => {
      const made = options.budget === false ? retry(call(request), { maxAttempts: 3 }) : budgeting.withRetryBudget(retry, budget, call(request), { maxAttempts: 3 });
      made.then(
        () => succeededAt.push(net.now()),
        () => {},
      );
    }, t);
  }
  await net.runUntilIdleAsync({ maxEvents: 2_000_000 });
  const goodputBetween = (from: number, to: number) => succeededAt.filter((t) => t >= from * 1000 && t < to * 1000).length / (to - from);
  return { ...counts, succeeded: succeededAt.length, goodputBetween };
}

/** A retry function without waits that asks `isRetryable` only when it would retry otherwise. */
export async function plainRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryControl): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.maxAttempts || !(options.isRetryable?.(error) ?? true)) throw error;
    }
  }
}

/** A retry function without waits that asks `isRetryable` first, even after the last attempt. */
export async function askingFirstRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryControl): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(options.isRetryable?.(error) ?? true) || attempt >= options.maxAttempts) throw error;
    }
  }
}

/** An operation that fails its first `failures` attempts, then returns 'ok'; it counts its calls. */
export function flaky(failures: number) {
  const calls = { count: 0 };
  const fn = (attempt: number) => {
    calls.count++;
    return attempt <= failures ? Promise.reject(new Unavailable(`attempt ${attempt} failed`)) : Promise.resolve('ok');
  };
  return { fn, calls };
}

/** One step of a property run: a request through withRetryBudget, or a direct call on the bucket. */
export type BudgetStep =
  | {
      step: 'request';
      /** Whether each attempt fails (true) or succeeds; attempts past the list succeed. */
      fails: boolean[];
      maxAttempts: number;
      /** The caller's isRetryable: none, one that says yes, or one that says no. */
      retryable: 'none' | 'yes' | 'no';
      /** plain: asks isRetryable only when it would retry; asking-first: asks first, after the last attempt too. */
      retry: 'plain' | 'asking-first';
    }
  | { step: 'onRequest' }
  | { step: 'tryRetry' };

/** A property run: a bucket and the steps done with it. */
export interface BudgetRun {
  ratio: number;
  maxTokens: number;
  steps: BudgetStep[];
}

/**
 * Property runs of up to `most.steps` steps. Ratios are 1/8, 1/4, 1/2 or 3/4, so that sums of them
 * are exact and "less than one token" means the same for every way of adding them up.
 */
export const budgetRuns = (most: { steps: number; maxAttempts: number; maxTokens: number }): fc.Arbitrary<BudgetRun> =>
  fc.record({
    ratio: fc.constantFrom(0.25, 0.5, 0.125, 0.75),
    maxTokens: fc.integer({ min: 1, max: most.maxTokens }),
    steps: fc.array(
      fc.oneof(
        {
          arbitrary: fc.record({
            step: fc.constant('request' as const),
            fails: fc.array(fc.boolean(), { maxLength: most.maxAttempts }),
            maxAttempts: fc.integer({ min: 1, max: most.maxAttempts }),
            retryable: fc.constantFrom('none' as const, 'yes' as const, 'no' as const),
            retry: fc.constantFrom('plain' as const, 'asking-first' as const),
          }),
          weight: 6,
        },
        { arbitrary: fc.constant<BudgetStep>({ step: 'onRequest' }), weight: 1 },
        { arbitrary: fc.constant<BudgetStep>({ step: 'tryRetry' }), weight: 1 },
      ),
      { maxLength: most.steps },
    ),
  });

/** A step in words. */
function told(step: BudgetStep): string {
  if (step.step !== 'request') return `budget.${step.step}()`;
  const outcomes = Array.from({ length: step.maxAttempts }, (_, i) => (step.fails[i] ? 'fails' : 'succeeds'));
  const upTo = outcomes.indexOf('succeeds');
  const shown = upTo < 0 ? outcomes : outcomes.slice(0, upTo + 1);
  const retryable = step.retryable === 'none' ? '' : `, isRetryable says ${step.retryable}`;
  return `a request of up to ${step.maxAttempts} attempts (${step.retry === 'plain' ? 'plain retry' : 'retry that asks isRetryable first'}${retryable}): attempts ${shown.join(', ')}`;
}

/** What a step of a property run did to your code: its tokens before and after, and what it answered. */
export interface Played {
  /** `budget.tokens` before the step and after it. */
  before: number;
  tokens: number;
  /** A `tryRetry()` step: what it answered. */
  granted?: boolean;
  /** A request: how many attempts it made, and what its caller got. */
  calls?: number;
  result?: string;
}

/**
 * A judge of a property run (the hidden checks' model of the rules): told every step and what it
 * did, it answers what went wrong in it, in words, or undefined.
 */
export type BudgetJudge = (step: BudgetStep, played: Played) => string | undefined;

/** What a request's caller gets when its last attempt, number `attempt`, failed or succeeded. */
export const outcome = (attempt: number, failed: boolean) => (failed ? `rejected with "attempt ${attempt} failed"` : `resolved with "attempt ${attempt} succeeded"`);

/** Whether two token counts are the same (sums of ratios in eighths are exact; the margin is for rounding of other sums). */
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9;

/**
 * Plays a property run on your RetryBudget and withRetryBudget and throws in words the first step
 * that breaks what the README states of every step: a bucket outside 0 to maxTokens; a request's
 * share not added once, up to maxTokens; a retry granted without a whole token, or refused with one;
 * tokens spent otherwise than one per retry made; more retries than the tokens there, than
 * maxAttempts allows or than a caller's isRetryable allows; another result than the last attempt's
 * own; more retries in all than ratio × requests + maxTokens. Or what `judge` finds wrong with a step.
 */
export async function playBudget(run: BudgetRun, judge?: BudgetJudge): Promise<void> {
  const budget = new budgeting.RetryBudget({ ratio: run.ratio, maxTokens: run.maxTokens });
  let requests = 0;
  /** Retries your code made: attempts after the first, and tryRetry calls it granted. */
  let made = 0;
  const fail = (index: number, what: string) => {
    throw new Error(`at step ${index + 2} (${index < 0 ? 'a new bucket' : told(run.steps[index])}): ${what}`);
  };
  if (!same(budget.tokens, run.maxTokens)) fail(-1, `a new bucket holds ${budget.tokens} tokens, not maxTokens (${run.maxTokens}) (item 1)`);
  for (const [index, step] of run.steps.entries()) {
    const before = budget.tokens;
    /** The tokens after a request's share: + ratio, up to maxTokens. */
    const earned = Math.min(run.maxTokens, before + run.ratio);
    const share = `from ${before}, + ${run.ratio} for the request, up to maxTokens (${run.maxTokens}): ${earned}`;
    const played: Played = { before, tokens: before };
    if (step.step === 'onRequest') {
      budget.onRequest();
      requests++;
      if (!same(budget.tokens, earned)) fail(index, `the bucket holds ${budget.tokens} tokens afterwards, not ${earned} (${share}; item 1)`);
    } else if (step.step === 'tryRetry') {
      const granted = budget.tryRetry();
      played.granted = granted;
      if (granted) made++;
      if (granted !== before >= 1) fail(index, `tryRetry() answered ${granted} with ${before} tokens in the bucket: ${before >= 1 ? 'a whole token is there to take' : 'less than one token grants no retry'} (item 1)`);
      const left = granted ? before - 1 : before;
      if (!same(budget.tokens, left)) fail(index, `the bucket holds ${budget.tokens} tokens afterwards, not ${left}: ${granted ? 'a retry takes one whole token' : 'a refused retry takes nothing'} (item 1)`);
    } else {
      requests++;
      let calls = 0;
      const fn = (attempt: number) => {
        calls++;
        return step.fails[attempt - 1] ? Promise.reject(new Unavailable(`attempt ${attempt} failed`)) : Promise.resolve(`attempt ${attempt} succeeded`);
      };
      const retry = step.retry === 'plain' ? plainRetry : askingFirstRetry;
      const options = step.retryable === 'none' ? { maxAttempts: step.maxAttempts } : { maxAttempts: step.maxAttempts, isRetryable: () => step.retryable === 'yes' };
      const result = await budgeting.withRetryBudget(retry, budget, fn, options).then(
        (value) => `resolved with "${value}"`,
        (error: unknown) => `rejected with "${error instanceof Error ? error.message : String(error)}"`,
      );
      Object.assign(played, { calls, result });
      const retries = calls - 1;
      made += retries;
      if (calls === 0) fail(index, `withRetryBudget ${result} without making an attempt: a request makes at least one, through the retry function given (items 3, 7)`);
      if (calls > step.maxAttempts) fail(index, `${calls} attempts were made, more than maxAttempts (${step.maxAttempts}) (item 7)`);
      if (retries > 0 && step.retryable === 'no') fail(index, `${retries} ${retries === 1 ? 'retry was' : 'retries were'} made, but the caller's isRetryable said no (item 6)`);
      if (retries > Math.floor(earned)) fail(index, `${retries} retries were made with ${earned} tokens in the bucket (${share}): each retry takes a whole token (items 4, 5)`);
      if (!same(budget.tokens, earned - retries)) {
        fail(index, `the bucket holds ${budget.tokens} tokens afterwards, but ${retries} ${retries === 1 ? 'retry' : 'retries'} leave ${earned - retries} (${share}; - 1 per retry made; nothing for a failure not retried; items 1, 3, 4, 6)`);
      }
      const expected = outcome(calls, step.fails[calls - 1] ?? false);
      if (result !== expected) fail(index, `withRetryBudget ${result}, but its last attempt, number ${calls}, ${expected.startsWith('rejected') ? 'failed' : 'succeeded'}: the caller gets what it gave (items 4, 5)`);
    }
    played.tokens = budget.tokens;
    if (budget.tokens < 0 || budget.tokens > run.maxTokens) fail(index, `the bucket holds ${budget.tokens} tokens, outside 0 to maxTokens (${run.maxTokens}) (item 1)`);
    const bound = run.ratio * requests + run.maxTokens;
    if (made > bound) fail(index, `${made} retries after ${requests} requests: more than ratio × requests + maxTokens = ${bound} (item 8)`);
    const wrong = judge?.(step, played);
    if (wrong) fail(index, wrong);
  }
}

/** A property run in words: the steps of a failure's smallest run. */
export const budgetSteps = (run: BudgetRun): string[] => [`a RetryBudget with ratio ${run.ratio} and maxTokens ${run.maxTokens}`, ...run.steps.map(told)];
