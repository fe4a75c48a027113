/**
 * The submission's code in a process of its own (checker/isolate/): planted code in that process
 * cannot change the checks' objects, cannot reach a function that makes code from text in the
 * checks' process, runs its promises after the call that started them (not inside it), and a loop
 * in it ends as "timed out" in the check that called it, the checks' process unharmed. Run without
 * the sandbox ('process'); the gradebook's sandbox around it is proven in gradebook.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { submissionModule } from '../isolate/submission-process';

type Attacks = typeof import('./isolation/attacks');
const attacks = (await submissionModule(path.join(__dirname, 'isolation', 'attacks.ts'))) as unknown as Attacks;

describe("the submission's code in a process of its own", () => {
  it("cannot set, define, delete or re-prototype a property of the checks' objects", () => {
    // An instance crosses by reference (a plain object would cross as a copy, its own to change).
    const target = new (class Holder {
      flag = 'original';
    })();
    const outcomes = attacks.tamper(target as unknown as Record<string, unknown>);
    expect(outcomes).toEqual([
      "set: the checks' objects do not allow set",
      "define: the checks' objects do not allow define",
      "delete: the checks' objects do not allow delete",
      "setPrototypeOf: the checks' objects do not allow setProto",
    ]);
    expect(target.flag).toBe('original');
  });

  it("cannot climb from a function of the checks' to the constructor of functions", () => {
    // From a function of the checks' it reaches only its own constructor of functions: code made with it runs in its own process.
    const outcome = attacks.reachCodeMaker((() => 'a callback of the checks') as unknown as Parameters<Attacks['reachCodeMaker']>[0]);
    expect(outcome).not.toContain(`process ${process.pid}`);
    expect(outcome).toMatch(/^(no way to the constructor of functions|code made, run in process \d+)/);
  });

  it('runs the promises it starts after the call that started them returns, not inside it', async () => {
    const log: string[] = [];
    attacks.later((what) => log.push(what));
    expect(log, 'a microtask of the code ran inside the call').toEqual([]);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['microtask']);
  });

  it('ends a call that never returns with "timed out", and the checks go on', () => {
    const started = Date.now();
    expect(() => attacks.spin()).toThrow(/timed out: the code under test did not answer within \d+ s/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(() => attacks.later(() => {})).toThrow(/timed out|has ended/);
  }, 60_000);
});
