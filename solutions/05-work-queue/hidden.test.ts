/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/05-work-queue/checks.test.ts) of exercise 05, the work queue. Fake timers stand in for time: a worker "works" by
 * awaiting a (fake) setTimeout, and `vi.runAllTimersAsync()` lets the queue run to the end.
 */
import { describe, expect, it, vi } from 'vitest';
import { WorkQueue, backOfQueueProperty, idleProperty, runQueue, spreadProperty, work } from '../../exercises/05-work-queue/harness';
import { canaries } from '../../checker/shared/canary';

describe('WorkQueue', () => {
  it('[5] gives messages that start together to different workers (property, 100 more cases)', async () => {
    await spreadProperty({ seed: 5050, runs: 100 });
  }, 60_000);

  it('[6] puts a failed message at the back of the queue, behind the messages already waiting (property, 100 more cases)', async () => {
    await backOfQueueProperty({ seed: 6060, runs: 100 });
  }, 60_000);

  it('[9] resolves idle() only when nothing is waiting or in progress, whenever it is called (property, 100 more cases)', async () => {
    await idleProperty({ seed: 9090, runs: 100 });
  }, 60_000);

  it('[4] works on one message at a time by default, even with several workers', async () => {
    const queue = new WorkQueue<number>();
    let active = 0;
    let most = 0;
    const worker = async () => {
      active++;
      most = Math.max(most, active);
      await work(5);
      active--;
    };
    queue.process(worker);
    queue.process(worker);
    for (let i = 0; i < 6; i++) queue.enqueue(i);
    await runQueue();
    expect(most, 'messages in progress at once with 2 workers and the default concurrency (1): concurrency limits the whole queue, not each worker').toBe(1);
  });

  it('[7] gives up after 3 attempts by default', async () => {
    const queue = new WorkQueue<string>();
    let calls = 0;
    queue.process(() => {
      calls++;
      throw new Error('no');
    });
    queue.enqueue('doomed');
    await runQueue();
    expect(calls).toBe(3);
    expect(queue.deadLetters.map((d) => d.attempts)).toEqual([3]);
  });

  it('[6] treats a worker whose promise rejects as a failure too', async () => {
    const queue = new WorkQueue<string>({ maxAttempts: 2, concurrency: 2 });
    const done: string[] = [];
    queue.process(async ({ data }) => {
      await work(5);
      if (data === 'bad') throw new Error('rejected later');
      done.push(data);
    });
    for (const data of ['bad', 'x', 'y']) queue.enqueue(data);
    await runQueue();
    expect(done.sort()).toEqual(['x', 'y']);
    expect(queue.deadLetters.map((d) => [d.data, d.attempts])).toEqual([['bad', 2]]);
  });

  it('[9] counts in size the messages waiting for a worker', async () => {
    const queue = new WorkQueue<number>();
    expect(queue.size).toBe(0);
    queue.enqueue(1);
    queue.enqueue(2);
    expect(queue.size).toBe(2);
    queue.process(() => work(10));
    await vi.advanceTimersByTimeAsync(1);
    expect(queue.size).toBe(1);
    await runQueue();
    expect(queue.size).toBe(0);
  });
});

canaries();
