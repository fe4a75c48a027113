/**
 * The canaries: checks that must fail, planted among the real checks of every check file, so that
 * code under test that flips failed results to passed is caught. The grader gives an exercise no
 * points when a canary passed (its results were tampered with) or went missing (the file did not
 * run to its end).
 *
 * A canary must be a check the code under test cannot tell apart from the real ones, or it would
 * flip all but the canaries. So each run, each file gets 2 to 4 of them, drawn in the worker from a
 * cryptographic random source while the file is collected (before any code under test is loaded:
 * the check files import it in `beforeEach`):
 * - each is the twin of a real check of the file drawn at random (among the checks the grader chose,
 *   when it runs only some: GradeOptions.onlyChecks): the same title (a title that is in
 *   the check file's text), in the same describe block, with the same options, at a random place
 *   among the checks of that block (not only at the end), with its id numbered where it stands;
 * - its body fails through an assertion, with values drawn at random, like a wrong answer;
 * - it carries a mark in its `meta` until vitest's main process has its collected checks: the
 *   grading reporter there takes note of the canaries' ids (grading-reporter.ts), and the mark is
 *   erased before the first hook of the file runs. Nothing in the worker then says which checks
 *   are canaries, and there is no secret for the code under test to find: the canaries' ids stay
 *   in vitest's main process and the grader learns their fate over IPC.
 *
 * This stops code that flips results without looking at them. It does not stop code that reaches
 * the test framework and looks: a canary's failure comes from this file (its stack says so), its
 * title appears twice in its block, and its body never calls the code under test. The planted
 * `spares-canary-failures` forges full marks that way where the code shares the checks' process;
 * the final grade runs it in a process of its own (../isolate/), out of the framework's reach
 * (the threat model in ../README.md).
 * @module
 */
import { randomInt } from 'node:crypto';
import { expect, inject, TestRunner, type RunnerTask, type RunnerTestCase, type RunnerTestFile, type RunnerTestSuite, type SuiteCollector } from 'vitest';
import { CANARY_MARK } from './canary-mark';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True in a grading run, whose reporter takes the canaries out of the report. */
    canaries: boolean;
    /** The only checks run, by full title (`describe > check`), when the grader chose some; else empty. */
    onlyChecks: string[];
    /** The folder graded for each exercise (absolute), for checks that run code in another language. */
    submissionDirs: Record<string, string>;
  }
}

/** The body of a canary: an assertion that fails, on values nothing outside it can see. */
function failing(): () => Promise<void> {
  const wanted = randomInt(1, 1000);
  const received = wanted + randomInt(1, 100);
  return async () => {
    await Promise.resolve();
    expect(received).toBe(wanted);
  };
}

/** Where a canary may stand: next to a check that will run, in the same list of tasks. */
interface Place {
  twin: RunnerTestCase;
  siblings: RunnerTask[];
}

/** Plants the canaries among the collected checks of `top` (the file's own suite). */
function plant(collector: SuiteCollector, top: RunnerTestSuite, file: RunnerTestFile): void {
  // When the grader runs only some checks, a canary must be the twin of one of those, or it would be skipped with its twin.
  const only = new Set(inject('onlyChecks'));
  const runnable: Place[] = [];
  const all: Place[] = [];
  // `names`: the describe blocks around `tasks`, for a check's full title as the grader names it (check-titles.ts).
  const walk = (tasks: RunnerTask[], running: boolean, names: string[]) => {
    for (const task of tasks) {
      const title = [...names, task.name];
      const on = running && task.mode === 'run' && (task.type === 'suite' || only.size === 0 || only.has(title.join(' > ')));
      if (task.type === 'suite') walk(task.tasks, on, title);
      else if (task.type === 'test') {
        all.push({ twin: task, siblings: tasks });
        if (on) runnable.push({ twin: task, siblings: tasks });
      }
    }
  };
  walk(top.tasks, true, []);
  // Checks that all skip themselves (no message broker): the canaries stand at the top, and run.
  const places = runnable.length > 0 ? runnable : all.map(({ twin }) => ({ twin, siblings: top.tasks }));
  if (places.length === 0) return;
  const planted: RunnerTestCase[] = [];
  for (let count = randomInt(2, 5); count > 0; count--) {
    const { twin, siblings } = places[randomInt(places.length)];
    const options = { handler: failing(), timeout: twin.timeout, retry: twin.retry, repeats: twin.repeats, concurrent: twin.concurrent };
    const canary = collector.task(twin.name, options);
    Object.assign(canary, {
      file,
      fullName: twin.fullName,
      fullTestName: twin.fullTestName,
      meta: Object.assign(Object.create(null) as object, twin.meta, { [CANARY_MARK]: true }),
      tags: [...(twin.tags ?? [])],
      shuffle: twin.shuffle,
      each: twin.each,
      ...(runnable.length > 0 ? { suite: twin.suite } : {}),
    });
    siblings.splice(randomInt(siblings.length + 1), 0, canary);
    planted.push(canary);
  }
  // The first hook of the file, before any code under test loads: vitest's main process has the
  // collected checks by then (sent as collection ends; one turn of the event loop is more than enough).
  TestRunner.getSuiteHooks(top).beforeAll.unshift(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    for (const canary of planted) delete canary.meta[CANARY_MARK as keyof typeof canary.meta];
    planted.length = 0;
  });
}

/**
 * Plants the canaries of this file; call it as the last line of every check file. The canaries
 * are planted once the whole file is collected, among its checks (see above).
 */
export function canaries(): void {
  if (!inject('canaries')) return;
  // At the top level of a check file, the current suite is the file's own collector.
  const collector = TestRunner.getCurrentSuite();
  const collect = collector.collect;
  collector.collect = async (file) => {
    collector.collect = collect;
    const top = await collect(file);
    plant(collector, top, file);
    return top;
  };
}
