/**
 * What the public and hidden checks of exercise 05 share; see checks.test.ts beside it.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { fc, holdsFor } from '../../checker/shared/property';
type QueueModule = typeof import('@submission/05-work-queue/work-queue');

export type QueuedMessage<T> = import('@submission/05-work-queue/work-queue').QueuedMessage<T>;
export let WorkQueue: QueueModule['WorkQueue'];

beforeEach(async () => {
  ({ WorkQueue } = await import('@submission/05-work-queue/work-queue'));
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

export const work = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lets the queue run until no timer is left. */
export const runQueue = () => vi.runAllTimersAsync();


// The property-based checks (fast-check), shared by the public checks (few cases) and the final
// grade (more cases, another seed). Each draws small workloads, runs your queue on them with fake
// timers, and on failure shows the smallest case it found, in words, with the seed.

/** How many cases, drawn from which seed. */
interface Budget {
  seed: number;
  runs: number;
}

const list = (items: string[]) => items.join(', ');

/**
 * [1] Every id `enqueue` returns is unique for the queue's whole life: also after earlier messages
 * left the queue, in the same millisecond.
 */
export async function uniqueIdsProperty(budget: Budget): Promise<void> {
  // Each step enqueues that many messages at once, or (0) lets the queue run until it is empty.
  const cases = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 });
  await holdsFor(
    cases,
    async (steps) => {
      const queue = new WorkQueue<number>();
      queue.process(() => {});
      const ids: string[] = [];
      for (const step of steps) {
        if (step === 0) await runQueue();
        for (let i = 0; i < step; i++) {
          const id = queue.enqueue(ids.length);
          const earlier = ids.indexOf(id);
          if (earlier >= 0) {
            return (
              `message ${ids.length} got the id "${id}" that message ${earlier} got before: an id must be unique for the queue's ` +
              'whole life, also after earlier messages left it in the same millisecond (a counter, not the clock and the length of the queue)'
            );
          }
          ids.push(id);
        }
      }
      return undefined;
    },
    {
      ...budget,
      describe: (steps) => `one worker that returns at once, and the clock standing still: ${list(steps.map((n) => (n === 0 ? 'the queue runs empty' : `${n} enqueued`)))}`,
    },
  );
}

/**
 * [5] Messages that start at the same moment go to different workers, as long as there are at
 * least as many workers as such messages: what the round-robin the README states ensures.
 */
export async function spreadProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    workers: fc.integer({ min: 2, max: 4 }),
    concurrency: fc.integer({ min: 1, max: 5 }),
    durations: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
  });
  await holdsFor(
    cases,
    async ({ workers, concurrency, durations }) => {
      const queue = new WorkQueue<number>({ concurrency });
      const starts: { at: number; message: number; worker: number }[] = [];
      for (let w = 0; w < workers; w++) {
        queue.process(async ({ data }) => {
          starts.push({ at: Date.now(), message: data, worker: w + 1 });
          await work(durations[data] * 10);
        });
      }
      const t0 = Date.now();
      durations.forEach((_, i) => queue.enqueue(i));
      await runQueue();
      for (const at of new Set(starts.map((s) => s.at))) {
        const together = starts.filter((s) => s.at === at);
        const used = new Set(together.map((s) => s.worker));
        if (together.length <= workers && used.size < together.length) {
          return (
            `at t=${at - t0} ms ${together.length} messages started together, but they went to ` +
            `${list(together.map((s) => `message ${s.message} to worker ${s.worker}`))}: with ${workers} workers, ` +
            'messages that start together must go to different workers: the workers take turns, round-robin, each message to the worker after the one that got the previous message, ' +
            'whatever each has in progress (not the least busy worker, and not one worker picked once for a batch; item 5)'
          );
        }
      }
      return undefined;
    },
    {
      ...budget,
      describe: (c) =>
        `${c.workers} workers, concurrency ${c.concurrency}, ${c.durations.length} message(s) enqueued at once that take ${list(c.durations.map((d) => `${d * 10}`))} ms`,
    },
  );
}

/**
 * [6] With one worker and `concurrency: 1`, the queue runs exactly as a FIFO queue where a failed
 * message goes to the back, behind the messages already waiting.
 */
export async function backOfQueueProperty(budget: Budget): Promise<void> {
  const maxAttempts = 4;
  const cases = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 });
  await holdsFor(
    cases,
    async (failures) => {
      const expected: string[] = [];
      const model = failures.map((_, i) => ({ i, attempt: 0 }));
      while (model.length > 0) {
        const next = model.shift() as { i: number; attempt: number };
        next.attempt++;
        expected.push(`m${next.i}#${next.attempt}`);
        if (next.attempt <= failures[next.i] && next.attempt < maxAttempts) model.push(next);
      }
      const queue = new WorkQueue<number>({ maxAttempts });
      const seen: string[] = [];
      queue.process(async ({ data, attempt }) => {
        seen.push(`m${data}#${attempt}`);
        await work(10);
        if (attempt <= failures[data]) throw new Error(`m${data} fails attempt ${attempt}`);
      });
      failures.forEach((_, i) => queue.enqueue(i));
      await runQueue();
      const at = seen.findIndex((s, k) => s !== expected[k]);
      if (at < 0 && seen.length === expected.length) return undefined;
      const sameRuns = [...seen].sort().join() === [...expected].sort().join();
      const what = sameRuns
        ? 'a failed message was tried again before messages already waiting (put it at the back, not the front)'
        : 'the queue did not run the attempts a FIFO queue with retries at the back runs';
      return `${what}: the worker saw ${list(seen)}, expected ${list(expected)} (mN#a: message N, attempt a)`;
    },
    {
      ...budget,
      describe: (failures) =>
        `one worker, concurrency 1, maxAttempts ${maxAttempts}, ${failures.length} message(s) m0.. enqueued at once, failing their first ${list(failures.map(String))} attempt(s)`,
    },
  );
}

/**
 * [9] `idle()`, called at any moment, resolves only when no message is waiting or in progress:
 * every message has then succeeded or gone to deadLetters.
 */
export async function idleProperty(budget: Budget): Promise<void> {
  const cases = fc.record({
    concurrency: fc.integer({ min: 1, max: 3 }),
    workers: fc.integer({ min: 1, max: 2 }),
    messages: fc.array(fc.record({ ms: fc.integer({ min: 1, max: 5 }), fails: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    idleAt: fc.integer({ min: 0, max: 60 }),
  });
  await holdsFor(
    cases,
    async ({ concurrency, workers, messages, idleAt }) => {
      const queue = new WorkQueue<number>({ concurrency, maxAttempts: 2 });
      let running = 0;
      let done = 0;
      for (let w = 0; w < workers; w++) {
        queue.process(async ({ data }) => {
          running++;
          try {
            await work(messages[data].ms * 10);
            if (messages[data].fails) throw new Error(`message ${data} fails`);
            done++;
          } finally {
            running--;
          }
        });
      }
      const t0 = Date.now();
      messages.forEach((_, i) => queue.enqueue(i));
      let problem: string | undefined;
      let resolved = false;
      setTimeout(() => {
        void queue.idle().then(() => {
          resolved = true;
          const finished = done + queue.deadLetters.length;
          if (running > 0 || finished < messages.length) {
            problem =
              `idle(), called at t=${idleAt} ms, resolved at t=${Date.now() - t0} ms while ${running} message(s) were in progress and ` +
              `${messages.length - finished} of ${messages.length} not finished: idle() must wait until nothing is waiting and nothing is in progress`;
          }
        });
      }, idleAt);
      await runQueue();
      await vi.advanceTimersByTimeAsync(0);
      return problem ?? (resolved ? undefined : `idle(), called at t=${idleAt} ms, never resolved, though every message was finished`);
    },
    {
      ...budget,
      describe: (c) =>
        `${c.workers} worker(s), concurrency ${c.concurrency}, maxAttempts 2, messages taking ${list(c.messages.map((m) => `${m.ms * 10} ms${m.fails ? ' and failing' : ''}`))}, idle() called at t=${c.idleAt} ms`,
    },
  );
}
