/**
 * The reporter of a grading run. It runs in vitest's main process, never in the worker processes
 * that load the code under test.
 *
 * It is vitest's own JSON reporter (the grade comes from its report file, not from stdout or an
 * exit code) with two additions sent to the grader over the IPC channel that only this process
 * has:
 * - progress: which check file started and finished when, and how many checks it has, so the
 *   grader's watchdog can tell an exercise stuck in an endless loop (see run-checks.ts);
 * - the SHA-256 of the report as written, so a report file rewritten by someone else is noticed.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { JsonReporter, type TestModule } from 'vitest/node';

/** A message from the grading reporter to the grader. */
export type ProgressEvent =
  | { event: 'module-start'; file: string }
  | { event: 'module-collected'; file: string; checks: number }
  | { event: 'module-end'; file: string }
  | { event: 'report-written'; sha256: string };

function tell(event: ProgressEvent): void {
  process.send?.(event);
}

/** Loaded by vitest from this file's path (see vitest.checks.mts), with `{ outputFile }`. */
export default class GradingReporter extends JsonReporter {

  /** Called by the worker as it begins a check file: the start of that exercise's time limit. */
  onTestModuleQueued(testModule: TestModule): void {
    tell({ event: 'module-start', file: testModule.moduleId });
  }

  /** The number of checks is known before any runs: a file that then hangs still has a total. */
  onTestModuleCollected(testModule: TestModule): void {
    tell({ event: 'module-collected', file: testModule.moduleId, checks: [...testModule.children.allTests()].length });
  }

  onTestModuleEnd(testModule: TestModule): void {
    tell({ event: 'module-end', file: testModule.moduleId });
  }

  override async writeReport(report: string): Promise<void> {
    await super.writeReport(report);
    tell({ event: 'report-written', sha256: createHash('sha256').update(report).digest('hex') });
  }
}
