/**
 * The reporter of a grading run. It runs in vitest's main process, never in the worker processes
 * that load the code under test.
 *
 * It is vitest's own JSON reporter (the grade comes from its report file, not from stdout or an
 * exit code) with three additions sent to the grader over the IPC channel that only this process
 * has:
 * - progress: which check file started and finished when, how many checks it has, and which check
 *   began last (run-setup.ts announces each as it begins), so the grader's watchdog can tell an
 *   exercise stuck in an endless loop, and in which check (see run-checks.ts);
 * - the canaries (../shared/canary.ts): which checks of each file are canaries is learnt here from
 *   the collected checks, which arrive before any code under test has run in the worker; at the
 *   end the grader is told how many there were and how many failed, and they are left out of the
 *   report (nothing in the worker says which they are, so only this process can tell them apart);
 * - the SHA-256 of the report as written, so a report file rewritten by someone else is noticed.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { RunnerTask, RunnerTestFile, TestAnnotation } from 'vitest';
import { JsonReporter, type TestCase, type TestModule } from 'vitest/node';
import { CANARY_MARK } from '../shared/canary-mark';
import { CHECK_START } from './check-start';

/** A message from the grading reporter to the grader. */
export type ProgressEvent =
  | { event: 'module-start'; file: string }
  | { event: 'module-collected'; file: string; checks: number }
  | { event: 'check-start'; file: string; check: string }
  | { event: 'canaries'; file: string; planted: number; failed: number; passed: number }
  | { event: 'module-end'; file: string }
  | { event: 'report-written'; sha256: string };

function tell(event: ProgressEvent): void {
  process.send?.(event);
}

/** Loaded by vitest from this file's path (see vitest.checks.mts), with `{ outputFile }`. */
export default class GradingReporter extends JsonReporter {
  /** Check file → the ids of its canaries, as first collected. */
  private readonly canaryIds = new Map<string, Set<string>>();

  /** A run begins: a warm vitest (warm-vitest.mts) runs many, and each collects its files, with new canaries, anew. */
  onTestRunStart(): void {
    this.canaryIds.clear();
    this.start = Date.now();
  }

  /** Called by the worker as it begins a check file: the start of that exercise's time limit. */
  onTestModuleQueued(testModule: TestModule): void {
    tell({ event: 'module-start', file: testModule.moduleId });
  }

  /** The number of checks is known before any runs: a file that then hangs still has a total. */
  onTestModuleCollected(testModule: TestModule): void {
    const tests = [...testModule.children.allTests()];
    // The first collection only: the worker has run no code under test yet. Anything it says later may be forged.
    if (!this.canaryIds.has(testModule.moduleId)) {
      this.canaryIds.set(testModule.moduleId, new Set(tests.filter((test) => test.meta()[CANARY_MARK as keyof ReturnType<typeof test.meta>] === true).map((test) => test.id)));
    }
    const canaries = this.canaryIds.get(testModule.moduleId)?.size ?? 0;
    tell({ event: 'module-collected', file: testModule.moduleId, checks: tests.length - canaries });
  }

  /** Tells the grader what became of each file's canaries, and takes them out of the report. */
  override async onTestRunEnd(...args: Parameters<JsonReporter['onTestRunEnd']>): Promise<void> {
    for (const testModule of args[0]) {
      const ids = this.canaryIds.get(testModule.moduleId) ?? new Set<string>();
      const found: RunnerTask[] = [];
      const prune = (tasks: RunnerTask[]): RunnerTask[] =>
        tasks.filter((task) => {
          if (task.type === 'suite') task.tasks = prune(task.tasks);
          if (!ids.has(task.id)) return true;
          found.push(task);
          return false;
        });
      // The module's task tree (vitest's own JSON reporter reads it the same way).
      const file = (testModule as unknown as { task: RunnerTestFile }).task;
      file.tasks = prune(file.tasks);
      const failed = found.filter((task) => task.type === 'test' && task.result?.state === 'fail').length;
      const passed = found.filter((task) => task.type === 'test' && task.result?.state === 'pass').length;
      tell({ event: 'canaries', file: testModule.moduleId, planted: ids.size, failed, passed });
    }
    await super.onTestRunEnd(...args);
  }

  /**
   * A check began (run-setup.ts annotates it at once, over vitest's RPC, which is not throttled as
   * task updates are): the check a time-out names. Its title, as the grader writes it.
   */
  onTestCaseAnnotate(testCase: TestCase, annotation: TestAnnotation): void {
    if (annotation.message !== CHECK_START) return;
    const titles = [testCase.name];
    for (let parent = testCase.parent; parent.type === 'suite'; parent = parent.parent) titles.unshift(parent.name);
    tell({ event: 'check-start', file: testCase.module.moduleId, check: titles.join(' › ') });
  }

  onTestModuleEnd(testModule: TestModule): void {
    tell({ event: 'module-end', file: testModule.moduleId });
  }

  override async writeReport(report: string): Promise<void> {
    await super.writeReport(report);
    tell({ event: 'report-written', sha256: createHash('sha256').update(report).digest('hex') });
  }
}
