/**
 * Checks of exercise 05, the work queue. Fake timers stand in for time: a worker "works" by
 * awaiting a (fake) setTimeout, and `vi.runAllTimersAsync()` lets the queue run to the end.
 */
import { describe, expect, it, vi } from 'vitest';
import { settlement } from '../../toolkit/netsim';
import { type QueuedMessage, WorkQueue, backOfQueueProperty, idleProperty, runQueue, spreadProperty, uniqueIdsProperty, work } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('WorkQueue', () => {
  it('[1] returns an id from enqueue at once, before any worker runs', async () => {
    const queue = new WorkQueue<string>();
    const seen: string[] = [];
    queue.process(({ data }) => void seen.push(data));
    const id = queue.enqueue('first');
    expect(typeof id).toBe('string');
    expect(seen, 'a worker ran inside enqueue').toEqual([]);
    await runQueue();
    expect(seen).toEqual(['first']);
  });

  it('[1] runs no worker inside process, even with messages already waiting', async () => {
    const queue = new WorkQueue<string>({ concurrency: 2 });
    queue.enqueue('early');
    queue.enqueue('earlier still waiting');
    const seen: string[] = [];
    queue.process(({ data }) => void seen.push(data));
    expect(seen, 'a worker ran inside process: messages enqueued before the worker came were started synchronously; start the work a moment later (in a microtask), as for enqueue').toEqual([]);
    await runQueue();
    expect(seen).toEqual(['early', 'earlier still waiting']);
  });

  it('[1] gives every message a unique id', () => {
    const queue = new WorkQueue<number>();
    const ids = Array.from({ length: 1000 }, (_, i) => queue.enqueue(i));
    expect(new Set(ids).size).toBe(1000);
  });

  it('[1] never gives two messages the same id, also after earlier ones left the queue (property, 25 cases)', async () => {
    await uniqueIdsProperty({ seed: 105, runs: 25 });
  });

  it('[2] hands a worker the message id, its data and attempt 1', async () => {
    const queue = new WorkQueue<{ to: string }>();
    const seen: QueuedMessage<{ to: string }>[] = [];
    queue.process((message) => void seen.push({ ...message }));
    const id = queue.enqueue({ to: 'ada@example.com' });
    await runQueue();
    expect(seen).toEqual([{ id, data: { to: 'ada@example.com' }, attempt: 1 }]);
  });

  it('[2] hands each attempt a message of its own: a message a worker kept still shows its attempt later', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 3 });
    const kept: QueuedMessage<string>[] = [];
    queue.process((message) => {
      kept.push(message); // kept as given, not copied
      if (message.attempt < 3) throw new Error(`attempt ${message.attempt} failed`);
    });
    queue.enqueue('flaky');
    await runQueue();
    expect(
      kept.map((message) => message.attempt),
      `a worker kept the three messages it was given, for attempts 1, 2 and 3, and read their attempt once the queue was done: ${JSON.stringify(kept.map((message) => message.attempt))}. The queue handed the worker its own record and raised its attempt in place on each retry; give each attempt a new object { id, data, attempt }, which the queue does not change afterwards`,
    ).toEqual([1, 2, 3]);
  });

  it('[2] counts attempts per message, not per data: two messages with equal data each start at attempt 1', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 3 });
    const ids = [queue.enqueue('same text'), queue.enqueue('same text')];
    const seen: string[] = [];
    queue.process(({ id, attempt }) => {
      seen.push(`${id === ids[0] ? 'first' : 'second'}#${attempt}`);
      throw new Error(`attempt ${attempt} failed`);
    });
    await runQueue();
    expect(
      seen,
      `two messages with the same data ("same text"), both failing every attempt: the worker saw ${seen.join(', ')} (name#attempt). The second message did not start at attempt 1 or did not get its own 3 attempts: count attempts per message (on the message's own record or by its id), not in a map keyed by its data, which two messages can share`,
    ).toEqual(['first#1', 'second#1', 'first#2', 'second#2', 'first#3', 'second#3']);
    expect(queue.deadLetters.map((d) => d.attempts), 'each message goes to deadLetters after its own 3 attempts').toEqual([3, 3]);
  });

  it('[2] processes messages in the order they were enqueued', async () => {
    const queue = new WorkQueue<number>();
    const seen: number[] = [];
    queue.process(async ({ data }) => {
      await work(data % 3);
      seen.push(data);
    });
    for (let i = 0; i < 10; i++) queue.enqueue(i);
    await runQueue();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('[3] keeps messages enqueued before any worker, and processes them once a worker comes', async () => {
    const queue = new WorkQueue<string>();
    queue.enqueue('a');
    queue.enqueue('b');
    queue.enqueue('c');
    await runQueue();
    expect(queue.size).toBe(3);
    const seen: string[] = [];
    queue.process(({ data }) => void seen.push(data));
    await runQueue();
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(queue.size).toBe(0);
  });

  it('[4] never works on more than `concurrency` messages at once, and does use that many', async () => {
    const queue = new WorkQueue<number>({ concurrency: 3 });
    let active = 0;
    let most = 0;
    let done = 0;
    queue.process(async () => {
      active++;
      most = Math.max(most, active);
      await work(10);
      active--;
      done++;
    });
    for (let i = 0; i < 10; i++) queue.enqueue(i);
    await runQueue();
    expect(done).toBe(10);
    expect(most).toBe(3);
  });

  it('[4] counts `concurrency` across all workers, not per worker: 3 workers share the limit', async () => {
    for (const concurrency of [undefined, 2]) {
      const queue = new WorkQueue<number>(concurrency === undefined ? {} : { concurrency });
      let active = 0;
      let most = 0;
      const worker = async () => {
        active++;
        most = Math.max(most, active);
        await work(10);
        active--;
      };
      for (let w = 0; w < 3; w++) queue.process(worker);
      for (let i = 0; i < 9; i++) queue.enqueue(i);
      await runQueue();
      const limit = concurrency ?? 1;
      expect(
        most,
        `with 3 workers and ${concurrency === undefined ? 'the default concurrency (1)' : `concurrency: ${concurrency}`}, ${most} messages were in progress at once: concurrency limits the messages in progress in the whole queue, not per worker (item 4)`,
      ).toBe(limit);
    }
  });

  it('[5] shares the messages among competing workers: each message goes to exactly one', async () => {
    const queue = new WorkQueue<number>({ concurrency: 2 });
    const byWorker: number[][] = [[], []];
    for (const mine of byWorker) {
      queue.process(async ({ data }) => {
        mine.push(data);
        await work(10);
      });
    }
    for (let i = 0; i < 20; i++) queue.enqueue(i);
    await runQueue();
    expect(byWorker[0].length, 'worker 1 got nothing').toBeGreaterThan(0);
    expect(byWorker[1].length, 'worker 2 got nothing').toBeGreaterThan(0);
    expect([...byWorker[0], ...byWorker[1]].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('[5] gives messages that start together to different workers (property, 25 cases)', async () => {
    await spreadProperty({ seed: 505, runs: 25 });
  });

  it('[6] puts a failed message at the back of the queue, behind the messages already waiting (property, 25 cases)', async () => {
    await backOfQueueProperty({ seed: 606, runs: 25 });
  });

  it('[6] tries a failed message again, with attempt 2 and 3, until it succeeds', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 5 });
    const attempts: number[] = [];
    queue.process(({ attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
    });
    queue.enqueue('flaky');
    await runQueue();
    expect(attempts).toEqual([1, 2, 3]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('[7] moves a message to deadLetters after exactly maxAttempts failures, with the last error', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 4 });
    let calls = 0;
    queue.process(() => {
      calls++;
      throw new Error(`failure ${calls}`);
    });
    const id = queue.enqueue('doomed');
    await runQueue();
    expect(calls).toBe(4);
    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]).toMatchObject({ id, data: 'doomed', attempts: 4 });
    expect(queue.deadLetters[0].error).toEqual(new Error('failure 4'));
  });

  it('[7] keeps in the dead letter the last error exactly as the worker threw it, also a value that is not an Error', async () => {
    for (const thrown of ['a plain string', { code: 503, reason: 'busy' }, undefined]) {
      const queue = new WorkQueue<string>({ maxAttempts: 2 });
      queue.process(async ({ attempt }) => {
        await work(1);
        if (attempt === 1) throw new Error('first failure');
        throw thrown; // eslint-disable-line @typescript-eslint/only-throw-error -- a worker may throw any value
      });
      queue.enqueue('doomed');
      await runQueue();
      expect(queue.deadLetters, 'one dead letter').toHaveLength(1);
      expect(
        queue.deadLetters[0].error,
        `the worker's last attempt threw ${thrown === undefined ? 'undefined' : JSON.stringify(thrown)}, and the dead letter's error is ${String(queue.deadLetters[0].error)}: keep what the last attempt threw, the very value, not an Error made from it (item 7: "with its last error")`,
      ).toBe(thrown);
    }
  });

  it('[7] accepts maxAttempts: 1, and then gives a failed message up at once, without a retry', async () => {
    expect(() => new WorkQueue<string>({ maxAttempts: 1 }), 'maxAttempts: 1 is a valid setting: one attempt, no retry').not.toThrow();
    const queue = new WorkQueue<string>({ maxAttempts: 1 });
    const attempts: number[] = [];
    queue.process(({ attempt }) => {
      attempts.push(attempt);
      throw new Error('no');
    });
    const id = queue.enqueue('once');
    await runQueue();
    expect(attempts, 'with maxAttempts: 1 a failed message is not tried again').toEqual([1]);
    expect(queue.deadLetters).toMatchObject([{ id, data: 'once', attempts: 1 }]);
  });

  it('[8] keeps going after a worker throws: the other messages are still processed', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 2 });
    const done: string[] = [];
    queue.process(({ data }) => {
      if (data === 'bad') throw new Error('cannot');
      done.push(data);
    });
    for (const data of ['a', 'bad', 'b', 'c']) queue.enqueue(data);
    await runQueue();
    expect(done).toEqual(['a', 'b', 'c']);
    expect(queue.deadLetters.map((d) => d.data)).toEqual(['bad']);
  });

  it('[9] resolves idle() once nothing is waiting or in progress, not before', async () => {
    const queue = new WorkQueue<number>();
    const whenEmpty = settlement(queue.idle());
    await vi.advanceTimersByTimeAsync(0);
    expect(whenEmpty.settled, 'idle() of an empty queue did not resolve').toBe(true);
    queue.process(() => work(100));
    queue.enqueue(1);
    queue.enqueue(2);
    const idle = settlement(queue.idle());
    await vi.advanceTimersByTimeAsync(150);
    expect(idle.settled, 'idle() resolved while a message was still in progress').toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(idle.settled).toBe(true);
    expect(queue.size).toBe(0);
  });

  it('[9] resolves idle() only when nothing is waiting or in progress, whenever it is called (property, 25 cases)', async () => {
    await idleProperty({ seed: 909, runs: 25 });
  });

  it('[10] refuses a concurrency or maxAttempts below 1 with a RangeError', () => {
    for (const options of [{ concurrency: 0 }, { concurrency: -1 }, { maxAttempts: 0 }, { maxAttempts: -2 }]) {
      expect(() => new WorkQueue<string>(options), `new WorkQueue(${JSON.stringify(options)}) should throw a RangeError`).toThrow(RangeError);
    }
  });

  it('[10] refuses NaN too: a concurrency or maxAttempts of NaN throws a RangeError', () => {
    for (const options of [{ concurrency: Number.NaN }, { maxAttempts: Number.NaN }]) {
      const name = Object.keys(options)[0];
      expect(
        () => new WorkQueue<string>(options),
        `new WorkQueue({ ${name}: NaN }) did not throw a RangeError: NaN is not at least 1, and a queue built with it never works (${name === 'concurrency' ? 'no message ever starts' : 'no message ever goes to deadLetters'}). Every comparison with NaN is false, so value < 1 lets it through: test !(value >= 1)`,
      ).toThrow(RangeError);
    }
  });

  it('[10] refuses a fraction below 1 too: a concurrency or maxAttempts of 0.5 throws a RangeError', () => {
    for (const options of [{ concurrency: 0.5 }, { maxAttempts: 0.5 }]) {
      expect(
        () => new WorkQueue<string>(options),
        `new WorkQueue(${JSON.stringify(options)}) did not throw a RangeError: 0.5 is below 1, and the README refuses every value below 1, fractions too; test value < 1 (or !(value >= 1)), not value <= 0`,
      ).toThrow(RangeError);
    }
  });
});

canaries();
