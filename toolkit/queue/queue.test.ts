import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../netsim';
import { MessageQueue } from './queue';

describe('MessageQueue', () => {
  it('returns unique ids from publish before any worker runs', async () => {
    const queue = new MessageQueue<string>({ name: 'job' });
    const log: string[] = [];
    queue.addWorker((m) => void log.push(`worked ${m.id}`));
    const ids = ['a', 'b', 'c'].map((data) => queue.publish(data));
    log.push('publisher moved on');
    await queue.drained();
    expect(ids).toEqual(['job-1', 'job-2', 'job-3']);
    expect(log).toEqual(['publisher moved on', 'worked job-1', 'worked job-2', 'worked job-3']);
  });

  it('buffers messages published before there is a worker, and hands them over in order', async () => {
    const queue = new MessageQueue<number>();
    for (let i = 1; i <= 4; i++) queue.publish(i);
    await Promise.resolve();
    expect(queue.waiting).toBe(4);
    const seen: number[] = [];
    queue.addWorker((m) => void seen.push(m.data));
    await queue.drained();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(queue.stats).toEqual({ published: 4, processed: 4, failed: 0, maxWaiting: 4 });
  });

  it('gives each message to exactly one of several competing workers, one message per worker at a time', async () => {
    const clock = new VirtualClock();
    const queue = new MessageQueue<number>({ clock });
    const byWorker: Record<string, number[]> = { w1: [], w2: [], w3: [] };
    let inFlight = 0;
    let mostInFlight = 0;
    for (const name of Object.keys(byWorker)) {
      queue.addWorker(async (m) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await clock.sleep(10);
        byWorker[name].push(m.data);
        inFlight--;
      });
    }
    for (let i = 0; i < 9; i++) queue.publish(i);
    await clock.runUntilIdleAsync();
    await queue.drained();
    expect(Object.values(byWorker).flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Object.values(byWorker).map((list) => list.length)).toEqual([3, 3, 3]);
    expect(mostInFlight).toBe(3);
    expect(clock.now()).toBe(30);
  });

  it('stamps messages with its clock and carries correlation headers', async () => {
    const clock = new VirtualClock();
    const queue = new MessageQueue<string>({ clock });
    clock.advance(25);
    queue.publish('x', { correlationId: 'req-9', replyTo: 'replies' });
    const seen: unknown[] = [];
    queue.addWorker((m) => void seen.push(m));
    await queue.drained();
    expect(seen).toEqual([{ id: 'msg-1', data: 'x', publishedAt: 25, correlationId: 'req-9', replyTo: 'replies' }]);
  });

  it('records a message whose worker throws and goes on with the next', async () => {
    const queue = new MessageQueue<number>();
    const done: number[] = [];
    queue.addWorker(async (m) => {
      if (m.data === 2) throw new Error('bad input 2');
      done.push(m.data);
    });
    [1, 2, 3].forEach((n) => queue.publish(n));
    await queue.drained();
    expect(done).toEqual([1, 3]);
    expect(queue.failures.map((f) => [f.message.data, (f.error as Error).message])).toEqual([[2, 'bad input 2']]);
    expect(queue.stats).toMatchObject({ processed: 2, failed: 1 });
  });

  it('lets a stopped worker finish its message but gives it no more', async () => {
    const clock = new VirtualClock();
    const queue = new MessageQueue<string>({ clock });
    const seen: string[] = [];
    const stop = queue.addWorker(async (m) => {
      await clock.sleep(10);
      seen.push(m.data);
    });
    queue.publish('first');
    queue.publish('second');
    await Promise.resolve();
    await Promise.resolve();
    stop();
    await clock.runUntilIdleAsync();
    expect(seen).toEqual(['first']);
    expect(queue.waiting).toBe(1);
    expect(queue.busy).toBe(0);
  });
});
