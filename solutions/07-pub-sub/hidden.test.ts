/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/07-pub-sub/checks.test.ts) of exercise 07, the publish-subscribe broker. Fake timers stand in for time: a slow
 * subscriber awaits a (fake) setTimeout, and `vi.advanceTimersByTimeAsync` moves time on.
 */
import { describe, expect, it } from 'vitest';
import { Broker, idleProperty, settle, subscriptionsProperty, work } from '../../exercises/07-pub-sub/harness';
import { canaries } from '../../checker/shared/canary';

describe('Broker', () => {
  it('[2] does not replay old messages to a new subscriber', async () => {
    const broker = new Broker();
    broker.subscribe('t', () => {});
    broker.publish('t', 'old');
    await settle();
    const got: string[] = [];
    broker.subscribe('t', (m: string) => void got.push(m));
    broker.publish('t', 'new');
    await settle();
    expect(got).toEqual(['new']);
  });

  it('[5] still delivers to the other subscribers when one rejects', async () => {
    const broker = new Broker();
    const got: string[] = [];
    broker.subscribe('t', async () => {
      await work(1);
      throw new Error('async subscriber bug');
    });
    broker.subscribe('t', (m: string) => void got.push(m));
    broker.publish('t', '1');
    await settle(5);
    broker.publish('t', '2');
    await settle(5);
    expect(got).toEqual(['1', '2']);
  });

  it('[7] resolves idle() once every delivery has finished, slow ones included', async () => {
    const broker = new Broker();
    broker.subscribe('t', () => work(100));
    broker.subscribe('t', () => {});
    broker.publish('t', 'x');
    const state = { idle: false };
    void broker.idle().then(() => (state.idle = true));
    await settle(50);
    expect(state.idle, 'idle() resolved while a subscriber was still busy').toBe(false);
    await settle(100);
    expect(state.idle).toBe(true);
  });

  it('[4] makes every subscribe call a subscription of its own, the same function twice too (property, 150 more cases)', async () => {
    await subscriptionsProperty({ seed: 7040, runs: 150 });
  }, 60_000);

  it('[7] resolves idle() only when no delivery is left, those of messages published meanwhile too (property, 100 more cases)', async () => {
    await idleProperty({ seed: 7070, runs: 100 });
  }, 60_000);
});

canaries();
