import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest test files the summary names. */
const SLOWEST = 5;

/**
 * Ends every run with the slowest test files and one plain line, "tests: N passed, N failed,
 * N skipped", that CI systems read without knowing vitest. A test file that fails to load counts
 * as one failure.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      if (failedHere === 0 && module.state() === 'failed') failedHere = 1;
      failed += failedHere;
    }
    const seconds = (module: TestModule) => {
      const { collectDuration, duration } = module.diagnostic();
      return (collectDuration + duration) / 1000;
    };
    const slowest = [...testModules].sort((a, b) => seconds(b) - seconds(a)).slice(0, SLOWEST);
    console.log(`\nslowest test files:\n${slowest.map((m) => `  ${seconds(m).toFixed(1).padStart(6)} s  ${m.relativeModuleId}`).join('\n')}`);
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
