/**
 * Checks of exercise 07, the publish-subscribe broker. Fake timers stand in for time: a slow
 * subscriber awaits a (fake) setTimeout, and `vi.advanceTimersByTimeAsync` moves time on.
 */
import { describe, expect, it } from 'vitest';
import { Broker, idleProperty, settle, subscriptionsProperty, work } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('Broker', () => {
  it('[1] delivers a published message to a subscriber of its topic, with the topic', async () => {
    const broker = new Broker();
    const got: unknown[][] = [];
    broker.subscribe('orders', (message, topic) => void got.push([message, topic]));
    broker.publish('orders', { id: 1 });
    await settle();
    expect(got).toEqual([[{ id: 1 }, 'orders']]);
  });

  it('[1] delivers every message to every subscriber of the topic, in publish order', async () => {
    const broker = new Broker();
    const got: number[][] = [[], [], []];
    for (const mine of got) broker.subscribe<number>('ticks', (n) => void mine.push(n));
    for (let n = 1; n <= 5; n++) broker.publish('ticks', n);
    await settle();
    expect(got).toEqual([
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
    ]);
  });

  it('[2] does not deliver to subscribers of other topics', async () => {
    const broker = new Broker();
    const got: string[] = [];
    broker.subscribe('a', () => void got.push('a'));
    broker.subscribe('ab', () => void got.push('ab'));
    broker.subscribe('b', () => void got.push('b'));
    broker.publish('a', 'x');
    await settle();
    expect(got).toEqual(['a']);
  });

  it('[2] matches topics exactly: a subscriber of "orders" gets nothing published on "orders.created"', async () => {
    const broker = new Broker();
    const got: string[] = [];
    broker.subscribe('orders', (_m, topic) => void got.push(`orders got ${topic}`));
    broker.subscribe('orders.created', (_m, topic) => void got.push(`orders.created got ${topic}`));
    const count = broker.publish('orders.created', 'x');
    await settle();
    expect(got, 'a subscriber of "orders" got a message published on "orders.created": topics match exactly, not by prefix or hierarchy (item 2)').toEqual([
      'orders.created got orders.created',
    ]);
    expect(count, 'what publish("orders.created") returned, with one subscriber of "orders" and one of "orders.created": only the latter counts (item 2)').toBe(1);
  });

  it('[2] matches topics exactly, case and spaces included: "Orders" and " orders" are not "orders"', async () => {
    const broker = new Broker();
    const got: string[] = [];
    for (const topic of ['orders', 'Orders', ' orders', 'ORDERS ']) broker.subscribe(topic, (_m, t) => void got.push(`${JSON.stringify(topic)} got ${JSON.stringify(t)}`));
    const count = broker.publish('orders', 'x');
    await settle();
    expect(got, 'subscribers of "Orders", " orders" or "ORDERS " got a message published on "orders": topics match exactly, as given; do not change their case or trim them (item 2)').toEqual(['"orders" got "orders"']);
    expect(count, 'what publish("orders") returned, with one subscriber of "orders" and three of topics that only look like it').toBe(1);
  });

  it('[2] takes any string as a topic, one named like a property of every object too: "constructor", "__proto__", "hasOwnProperty"', async () => {
    const broker = new Broker();
    const got: string[] = [];
    const topics = ['constructor', '__proto__', 'toString'];
    const mistake = 'topics kept in a plain object find the properties every object has (constructor, __proto__, hasOwnProperty): keep them in a Map (item 2)';
    const attempt = <T>(what: string, run: () => T): T => {
      try {
        return run();
      } catch (error) {
        throw new Error(`${what} threw ${String(error)}: ${mistake}`, { cause: error });
      }
    };
    for (const topic of topics) attempt(`subscribe("${topic}", …)`, () => broker.subscribe(topic, (m: string, t) => void got.push(`${t}: ${m}`)));
    const counts = [...topics, 'hasOwnProperty', 'valueOf'].map((topic) => attempt(`publish("${topic}", …)`, () => broker.publish(topic, 'x')));
    await settle();
    expect(counts, `what publish returned on "constructor", "__proto__", "toString" (one subscriber each), then "hasOwnProperty" and "valueOf" (none): ${mistake}`).toEqual([1, 1, 1, 0, 0]);
    expect(got.sort(), `what the subscribers of "constructor", "__proto__" and "toString" got: ${mistake}`).toEqual(['__proto__: x', 'constructor: x', 'toString: x']);
  });

  it('[2] does not give a subscriber a message published just before it subscribed, in the same tick', async () => {
    const broker = new Broker();
    const got: Record<string, string[]> = { earlier: [], later: [] };
    broker.subscribe('t', (m: string) => void got.earlier.push(m));
    broker.publish('t', 'older');
    broker.subscribe('t', (m: string) => void got.later.push(m)); // before the deliveries of 'older' ran
    broker.publish('t', 'newer');
    await settle();
    expect(got.earlier, 'what the subscriber from before both publishes got').toEqual(['older', 'newer']);
    expect(
      got.later,
      'a subscriber that came right after publish("t", "older") got "older": the message goes to the subscribers of the moment publish is called (take a copy of them then), not to those there when the delivery runs a moment later',
    ).toEqual(['newer']);
  });

  it('[3] returns from publish before any subscriber runs', async () => {
    const broker = new Broker();
    const got: string[] = [];
    broker.subscribe('t', (m: string) => void got.push(m));
    broker.publish('t', 'later');
    expect(got, 'a subscriber ran inside publish').toEqual([]);
    await settle();
    expect(got).toEqual(['later']);
  });

  it('[3] returns from publish the number of subscribers the message goes to', () => {
    const broker = new Broker();
    broker.subscribe('t', () => {});
    broker.subscribe('t', () => {});
    broker.subscribe('other', () => {});
    expect(broker.publish('t', 1)).toBe(2);
    expect(broker.publish('nobody', 1)).toBe(0);
  });

  it('[4] stops delivering to a subscriber after its unsubscribe, and only to it', async () => {
    const broker = new Broker();
    const got: string[] = [];
    const stop = broker.subscribe('t', (m: string) => void got.push(`first ${m}`));
    broker.subscribe('t', (m: string) => void got.push(`second ${m}`));
    broker.publish('t', '1');
    await settle();
    stop();
    broker.publish('t', '2');
    await settle();
    expect(got.sort()).toEqual(['first 1', 'second 1', 'second 2']);
  });

  it('[4] does nothing when an unsubscribe function is called again, even after someone else subscribed to the topic', async () => {
    const broker = new Broker();
    const got: string[] = [];
    const stop = broker.subscribe('t', () => {});
    stop();
    broker.subscribe('t', (m: string) => void got.push(m));
    stop();
    expect(broker.publish('t', 'still here'), 'calling an old unsubscribe function again removed another subscriber').toBe(1);
    await settle();
    expect(got).toEqual(['still here']);
  });

  it('[4] makes every subscribe call a subscription of its own, the same function twice too (property, 30 cases)', async () => {
    await subscriptionsProperty({ seed: 704, runs: 30 });
  });

  it('[5] still delivers to the other subscribers when one throws', async () => {
    const broker = new Broker();
    const got: string[] = [];
    broker.subscribe('t', (m: string) => void got.push(`before ${m}`));
    broker.subscribe('t', () => {
      throw new Error('subscriber bug');
    });
    broker.subscribe('t', (m: string) => void got.push(`after ${m}`));
    broker.publish('t', '1');
    broker.publish('t', '2');
    await settle();
    expect(got.sort()).toEqual(['after 1', 'after 2', 'before 1', 'before 2']);
  });

  it('[5] reports what subscribers throw or reject with to onError, with the topic', async () => {
    const errors: unknown[][] = [];
    const broker = new Broker({ onError: (error, topic) => void errors.push([error, topic]) });
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    broker.subscribe('t', () => {
      throw thrown;
    });
    broker.subscribe('t', async () => {
      await work(1);
      throw rejected;
    });
    broker.publish('t', 'x');
    await settle(5);
    expect(errors).toHaveLength(2);
    expect(errors).toContainEqual([thrown, 't']);
    expect(errors).toContainEqual([rejected, 't']);
  });

  it('[5] hands onError the very value a subscriber threw or rejected with: a string, null, an object', async () => {
    const errors: unknown[][] = [];
    const broker = new Broker({ onError: (error, topic) => void errors.push([error, topic]) });
    const plain = { code: 'E_PLAIN' };
    /** Throws `value` as it is: a subscriber may throw anything. */
    const raise = (value: unknown): never => {
      throw value;
    };
    broker.subscribe('text', () => raise('a string'));
    broker.subscribe('nothing', async () => raise(null));
    broker.subscribe('object', async () => {
      await work(1);
      raise(plain);
    });
    for (const topic of ['text', 'nothing', 'object']) broker.publish(topic, 'x');
    await settle(5);
    const show = (value: unknown) => (value instanceof Error ? `an Error "${value.message}"` : JSON.stringify(value));
    for (const [topic, thrown] of [['text', 'a string'], ['nothing', null], ['object', plain]] as const) {
      const reported = errors.find(([, t]) => t === topic);
      expect(reported, `onError was not called for the subscriber of "${topic}" that threw ${show(thrown)}`).toBeDefined();
      expect(
        reported?.[0],
        `a subscriber of "${topic}" threw ${show(thrown)}, and onError got ${show(reported?.[0])}: hand onError the value that was thrown, as it is, not wrapped in an Error (item 5)`,
      ).toBe(thrown);
    }
  });

  it('[6] does not let a slow subscriber hold up the others', async () => {
    const broker = new Broker();
    const fast: number[] = [];
    broker.subscribe<number>('t', () => work(60_000));
    broker.subscribe<number>('t', (n) => void fast.push(n));
    for (let n = 1; n <= 3; n++) broker.publish('t', n);
    await settle(1);
    expect(fast, 'the fast subscriber waited for the slow one').toEqual([1, 2, 3]);
  });

  it('[7] resolves idle(), not rejects it, when a delivery fails while it waits, once the slow deliveries are done too', async () => {
    const errors: unknown[] = [];
    const broker = new Broker({ onError: (error) => void errors.push(error) });
    let slowDone = false;
    broker.subscribe('t', async () => {
      await work(100);
      slowDone = true;
    });
    broker.subscribe('t', async () => {
      await work(10);
      throw new Error('subscriber failed');
    });
    broker.publish('t', 'x');
    let outcome = 'still waiting';
    broker.idle().then(
      () => (outcome = slowDone ? 'resolved' : 'resolved before the slow delivery finished'),
      (error: unknown) => (outcome = `rejected with ${String(error)}${slowDone ? '' : ', before the slow delivery finished'}`),
    );
    await settle(50);
    expect(errors, 'what onError got by t=50 ms: the failing subscriber threw at t=10 ms').toHaveLength(1);
    expect(
      outcome,
      'idle(), called while one delivery was slow (100 ms) and another failed (at 10 ms), at t=50 ms: a failed delivery has finished, its error goes to onError only, and idle() waits for the slow one (item 7)',
    ).toBe('still waiting');
    await settle(60);
    expect(outcome, 'idle() at t=110 ms, when every delivery had finished, one of them failed: it should resolve, not reject (item 7)').toBe('resolved');
  });

  it('[7] has handed a failed delivery’s error to onError by the time idle() resolves', async () => {
    const errors: unknown[] = [];
    const broker = new Broker({ onError: (error) => void errors.push(error) });
    broker.subscribe('t', () => {
      throw new Error('thrown');
    });
    broker.subscribe('t', async () => {
      await work(10);
      throw new Error('rejected');
    });
    broker.publish('t', 'x');
    let seen: string | undefined;
    void broker.idle().then(() => (seen = errors.map(String).join(', ') || 'nothing'));
    await settle(110);
    expect(seen, 'idle() never resolved, after one subscriber threw at once and another rejected at t=10 ms (item 7)').toBeDefined();
    expect(
      seen,
      'idle() resolved before the errors reached onError: call onError in the delivery, not later in a setTimeout; a failed delivery has finished only once its error has gone to onError (item 7). What onError had got when idle() resolved, one subscriber having thrown at once and another rejected at t=10 ms',
    ).toBe('Error: thrown, Error: rejected');
  });

  it('[7] resolves idle() only when no delivery is left, those of messages published meanwhile too (property, 25 cases)', async () => {
    await idleProperty({ seed: 707, runs: 25 });
  });
});

canaries();
