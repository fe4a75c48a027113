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
// A check's limit of 1 s, so that the loop below is stopped after 1 s times the isolation's allowance, not 5.
process.env.CHECKS_TEST_TIMEOUT_MS = '1000';
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

  it("calls the checks' methods on their own object, and never one that makes code from text", () => {
    class Tools {
      calls = 0;
      count(by: number): number {
        this.calls += by;
        return this.calls;
      }
    }
    // A maker of code where a method would be (eval runs its text at once): what a raw request would have to reach.
    (Tools.prototype as unknown as Record<string, unknown>).make = eval;
    const tools = new Tools();
    const asCode = tools as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(attacks.callMethod(asCode, 'count', 2)).toBe(2);
    expect(tools.calls).toBe(2);
    expect(() => attacks.callMethod(asCode, 'make', 'return 1')).toThrow(TypeError);
    expect(attacks.invokeRaw(), 'found no pipe to the checks').toBeGreaterThan(0);
    // Raw requests are served while the checks wait: one more call lets the checks read them all.
    expect(attacks.callMethod(asCode, 'count', 1)).toBe(3);
    expect((globalThis as { madeInChecks?: unknown }).madeInChecks).toBeUndefined();
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
