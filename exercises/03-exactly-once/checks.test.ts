/**
 * Checks of exercise 03, exactly-once processing. Most checks feed your IdempotentConsumer by
 * hand; the last one runs it behind your exercise-02 ReliableSender and AckingReceiver on netsim,
 * over a network that loses, duplicates and reorders, for 20 seeds.
 */
import { describe, expect, it } from 'vitest';
import { uniform } from '../../toolkit/netsim';
import { IdempotentConsumer, recording, runPipeline, windowRefusedProperty } from './harness';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => 100 + i);

describe('IdempotentConsumer', () => {
  it('[1] applies a new message and returns true', () => {
    const { consumer, applied } = recording();
    expect(consumer.handle('m1', 'pay 10 €')).toBe(true);
    expect(applied).toEqual(['pay 10 €']);
  });

  it('[1] hands apply the very payload handle was given, not a copy, and the message id', () => {
    const payload = { amount: 10, currency: '€' };
    const calls: [unknown, string][] = [];
    const consumer = new IdempotentConsumer<typeof payload>((given, id) => void calls.push([given, id]));
    consumer.handle('m7', payload);
    expect(calls.map(([, id]) => id), 'the id apply was called with').toEqual(['m7']);
    expect(
      calls[0][0] === payload,
      'apply got a copy of the payload, not the payload itself: pass on the object handle was given (a copy loses its identity, and with structuredClone its methods and class)',
    ).toBe(true);
  });

  it('[2] ignores a duplicate: returns false and does not apply it again', () => {
    const { consumer, applied } = recording();
    consumer.handle('m1', 'pay 10 €');
    expect(consumer.handle('m1', 'pay 10 €')).toBe(false);
    expect(consumer.handle('m1', 'pay 10 €')).toBe(false);
    expect(applied).toEqual(['pay 10 €']);
  });

  it('[2] applies each distinct id once, whatever the order and number of copies', () => {
    const { consumer, applied } = recording();
    for (const id of ['a', 'b', 'a', 'c', 'b', 'b', 'd', 'a']) consumer.handle(id, id);
    expect(applied).toEqual(['a', 'b', 'c', 'd']);
  });

  it('[2] takes any string as an id: constructor, toString, __proto__ and hasOwnProperty are applied once each too', () => {
    const { consumer, applied } = recording();
    const ids = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    const firsts = ids.map((id) => consumer.handle(id, id));
    expect(
      applied,
      `messages with the ids ${ids.join(', ')}, each new, were applied as ${JSON.stringify(applied)} (handle returned ${JSON.stringify(firsts)}): these ids are names of Object.prototype, so \`id in object\` or \`object[id]\` finds them in an empty plain object and takes them for ids already applied; remember ids in a Set (or a Map), which holds only what you put in it`,
    ).toEqual(ids);
    expect(ids.map((id) => consumer.handle(id, id)), 'what handle returned for a copy of each of them').toEqual(ids.map(() => false));
    expect(applied, 'messages applied after the copies came').toEqual(ids);
  });

  it('[4] still ignores a copy of a recent message after many other messages', () => {
    const { consumer, applied } = recording(100);
    for (let i = 0; i < 100; i++) consumer.handle(`m${i}`, i);
    expect(consumer.handle('m50', 50)).toBe(false);
    expect(consumer.handle('m99', 99)).toBe(false);
    expect(applied).toHaveLength(100);
  });

  it('[4] refuses a windowSize below 1, or NaN, with a RangeError', () => {
    for (const windowSize of [0, -5, Number.NaN]) {
      expect(
        () => new IdempotentConsumer<unknown>(() => {}, { windowSize }),
        `new IdempotentConsumer(apply, { windowSize: ${windowSize} }): a window of 0 would apply every copy, a NaN one never forget an id`,
      ).toThrow(RangeError);
    }
  });

  it('[4] refuses every windowSize below 1, fractions such as 0.5 too (property, 100 cases)', async () => {
    await windowRefusedProperty({ seed: 304, runs: 100 });
  });

  it('[4] accepts a windowSize of Infinity, a window that never forgets', () => {
    let made: ReturnType<typeof recording> | undefined;
    try {
      made = recording(Number.POSITIVE_INFINITY);
    } catch (error) {
      throw new Error(
        `new IdempotentConsumer(apply, { windowSize: Infinity }) threw ${String(error)}: only a windowSize below 1, or NaN, is refused (item 4); Infinity is above 1, a window that never forgets an id, and is accepted (do not demand an integer or a finite number)`,
        { cause: error },
      );
    }
    const { consumer, applied } = made;
    for (let i = 0; i < 3000; i++) consumer.handle(`m${i}`, i);
    expect(consumer.handle('m0', 0), 'a copy of the first of 3000 messages, with a window of Infinity: it was never forgotten, so it is ignored').toBe(false);
    expect(consumer.remembered, 'ids remembered with a window of Infinity, after 3000 messages').toBe(3000);
    expect(applied).toHaveLength(3000);
  });

  it('[4] remembers at most windowSize ids, however many messages pass', () => {
    const { consumer } = recording(50);
    for (let i = 0; i < 10_000; i++) {
      consumer.handle(`m${i}`, i);
      if (consumer.remembered > 50) throw new Error(`remembers ${consumer.remembered} ids after ${i + 1} messages, window is 50`);
    }
    expect(consumer.remembered).toBe(50);
  });

  it('[3] lets the very error apply threw reach the caller, not another that wraps it', () => {
    const down = new Error('database down');
    const consumer = new IdempotentConsumer<string>(() => {
      throw down;
    });
    let caught: unknown;
    try {
      consumer.handle('m1', 'pay');
    } catch (error) {
      caught = error;
    }
    expect(caught, 'what handle threw when apply threw the error "database down": the caller should get that error object itself (item 3), so it can tell what failed; not a new error that wraps it').toBe(down);
  });

  it('[3] lets what apply threw reach the caller as it is, also when it is not an Error: a string, an object, null', () => {
    const values: [string, unknown][] = [["the string 'disk full'", 'disk full'], ['the object { code: 42 }', { code: 42 }], ['null', null]];
    for (const [what, thrown] of values) {
      const consumer = new IdempotentConsumer<string>(() => {
        throw thrown;
      });
      let caught: unknown = 'nothing';
      try {
        consumer.handle('m1', 'pay');
      } catch (error) {
        caught = error;
      }
      expect(
        caught,
        `what handle threw when apply threw ${what}: ${caught instanceof Error ? `a new ${caught.name} ("${caught.message}")` : JSON.stringify(caught)}. apply may throw any value, not only an Error: that very value goes to the caller as it is (item 3), not wrapped in a new Error; rethrow what you caught, or better, do not catch it at all`,
      ).toBe(thrown);
    }
  });

  it('[3] does not remember a message whose effect threw, so its redelivery is applied', () => {
    let fail = true;
    const applied: string[] = [];
    const consumer = new IdempotentConsumer<string>((payload) => {
      if (fail) throw new Error('database down');
      applied.push(payload);
    });
    expect(() => consumer.handle('m1', 'pay')).toThrow('database down');
    fail = false;
    expect(consumer.handle('m1', 'pay')).toBe(true);
    expect(applied).toEqual(['pay']);
  });

  it('[3] keeps the window as it was when apply throws: a failed message pushes no remembered id out', () => {
    let fail = false;
    const applied: string[] = [];
    const consumer = new IdempotentConsumer<string>((payload) => {
      if (fail) throw new Error('database down');
      applied.push(payload);
    }, { windowSize: 3 });
    for (const id of ['a', 'b', 'c']) consumer.handle(id, id);
    fail = true;
    expect(() => consumer.handle('x', 'x'), 'the apply of x threw: the error should reach the caller').toThrow('database down');
    fail = false;
    const pushedOut = 'an id was pushed out of the window before apply returned (make room only once apply has returned) (item 3)';
    expect(consumer.remembered, `ids remembered after a, b and c filled the window of 3 and the apply of x threw: ${pushedOut}`).toBe(3);
    expect(consumer.handle('a', 'a'), `after a, b and c filled the window of 3, the apply of x threw, and then a copy of a was applied again: ${pushedOut}`).toBe(false);
    expect(applied).toEqual(['a', 'b', 'c']);
  });

  it('[4] accepts a window of 1, which remembers the last id only', () => {
    let made: ReturnType<typeof recording> | undefined;
    try {
      made = recording(1);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new Error(`new IdempotentConsumer(apply, { windowSize: 1 }) threw ${String(error)}: a window of 1 is allowed, only a window below 1 is refused (item 4)`, { cause: error });
    }
    const { consumer, applied } = made;
    consumer.handle('a', 'a');
    expect(consumer.handle('a', 'a'), 'a copy right after its original, with a window of 1: the last id should be remembered').toBe(false);
    consumer.handle('b', 'b');
    expect(consumer.remembered, 'ids remembered with a window of 1, after two messages').toBe(1);
    expect(
      consumer.handle('a', 'a'),
      'a copy of a, after b came, with a window of 1, was ignored: a should have left the window when b came (the oldest id is forgotten, not the newest) (item 4)',
    ).toBe(true);
    expect(applied).toEqual(['a', 'b', 'a']);
  });

  it('[5] with a window of 3, after a, b, c and d: copies of d and b are ignored, a copy of a is applied again', () => {
    const { consumer, applied } = recording(3);
    for (const id of ['a', 'b', 'c', 'd']) consumer.handle(id, id);
    expect(consumer.handle('d', 'd'), 'a copy of d, the newest id, was applied again: the newest id was forgotten, where the oldest should be (item 5)').toBe(false);
    expect(consumer.handle('b', 'b'), 'a copy of b was applied again though only c and d came after it: the window forgot more than its oldest id, as if emptied when full (item 5)').toBe(false);
    expect(consumer.handle('a', 'a'), 'a copy of a, the oldest id, was ignored: with a window of 3 it should have left the window when d came (item 5)').toBe(true);
    expect(applied).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('[5] does not make an id newer when a copy of it comes: after a, b, c, a copy of a, and d, a is the one forgotten', () => {
    const { consumer, applied } = recording(3);
    for (const id of ['a', 'b', 'c']) consumer.handle(id, id);
    consumer.handle('a', 'a');
    consumer.handle('d', 'd');
    expect(consumer.handle('b', 'b'), 'a copy of b was applied again after a, b, c, a copy of a, and d: the copy of a moved a to the newest end of the window, so b became the oldest; a copy does not make its id newer, the order is that of the first application (item 5)').toBe(false);
    expect(consumer.handle('a', 'a'), 'a copy of a, applied first of all, was ignored after a, b, c, a copy of a, and d: with a window of 3 it should have left the window when d came, its copy notwithstanding (item 5)').toBe(true);
    expect(applied).toEqual(['a', 'b', 'c', 'd', 'a']);
  });
});

describe('IdempotentConsumer behind the ReliableSender and AckingReceiver of exercise 02', () => {
  it('[6] applies every message exactly once over a lossy, duplicating, reordering network (20 seeds)', async () => {
    for (const seed of SEEDS) {
      const faults = { loss: 0.25, duplicate: 0.3, delay: uniform(1, 40) };
      const run = await runPipeline({ seed, faults, retransmitMs: 60, maxAttempts: 40, windowSize: 100, messages: 40, maxEvents: 200_000 });
      expect(run.acknowledged, `seed ${seed}: sends of exercise 02's sender that were acknowledged`).toBe(run.payloads.length);
      expect(run.deliveries, `seed ${seed}: the network should have delivered duplicates`).toBeGreaterThan(run.payloads.length);
      expect(run.wrong, `seed ${seed}`).toEqual([]);
    }
  });
});

canaries();
