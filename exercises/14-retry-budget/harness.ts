/**
 * What the public and hidden checks of exercise 14 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
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
