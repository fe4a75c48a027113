import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('fires timers in virtual-time order, ties in creation order', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('c@30'), 30);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('b1@20'), 20);
    clock.setTimeout(() => fired.push('b2@20'), 20);
    clock.runUntilIdle();
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.now()).toBe(30);
  });

  it('shows each callback the time it was due', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      clock.setTimeout(() => seen.push(clock.now()), 5);
    }, 10);
    clock.advance(100);
    expect(seen).toEqual([10, 15]);
    expect(clock.now()).toBe(100);
  });

  it('runs only what falls due while advancing', () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 50);
    clock.advance(49);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('cancels timeouts and intervals', () => {
    const clock = new VirtualClock();
    let ticks = 0;
    const interval = clock.setInterval(() => {
      if (++ticks === 3) clock.clearInterval(interval);
    }, 10);
    const timeout = clock.setTimeout(() => (ticks = -100), 5);
    clock.clearTimeout(timeout);
    clock.runUntilIdle();
    expect(ticks).toBe(3);
    expect(clock.now()).toBe(30);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops an endless timer loop with an explanation instead of hanging', () => {
    const clock = new VirtualClock();
    clock.setInterval(() => {}, 1);
    expect(() => clock.runUntilIdle({ maxEvents: 1000 })).toThrow(/gave up after 1000 timer callbacks .*re-arming a timer/);
  });

  it('rejects negative or non-finite delays by name', () => {
    const clock = new VirtualClock();
    expect(() => clock.setTimeout(() => {}, -1)).toThrow(/setTimeout delay must be a finite number >= 0, got -1/);
    expect(() => clock.setInterval(() => {}, 0)).toThrow(/setInterval period must be > 0/);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(/advance must be/);
  });

  it('lets promise chains finish before time moves on (async variants)', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    async function worker() {
      await clock.sleep(10);
      await Promise.resolve();
      log.push(`step1@${clock.now()}`);
      await clock.sleep(10);
      log.push(`step2@${clock.now()}`);
    }
    const done = worker();
    expect(await clock.runUntilIdleAsync()).toBe(2);
    await done;
    expect(log).toEqual(['step1@10', 'step2@20']);
  });

  it('advanceAsync stops at the requested time', async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    void (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(10);
        log.push(clock.now());
      }
    })();
    await clock.advanceAsync(25);
    expect(log).toEqual([10, 20]);
    expect(clock.now()).toBe(25);
  });
});

describe('VirtualClock cancellation and internal events', () => {
  it('skips a timer cancelled by another callback of the same instant, and counts messages in flight as pending', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    let second = 0;
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(second);
    }, 10);
    second = clock.setTimeout(() => fired.push('second'), 10);
    const lane = clock.addLane((n) => fired.push(`internal ${n}`));
    clock.scheduleOnLane(lane, 7, 10);
    expect(clock.pendingTimers).toBe(3);
    expect(clock.runUntilIdle()).toBe(2);
    expect(fired).toEqual(['first', 'internal 7']);
    expect(clock.pendingTimers).toBe(0);
  });
});
