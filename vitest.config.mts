import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The workbook's own tests. The checks in checker/checks and checker/hidden are not run directly:
// the proofs in checker/proof run them against solutions/, the starters and the mutants.
export default defineConfig({
  test: {
    include: ['toolkit/**/*.test.ts', 'tooling/**/*.test.ts', 'checker/proof/**/*.test.ts', 'site/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'site/_site/**'],
    testTimeout: 20_000,
    // One file per core. Vitest's default leaves a core free: one file at a time on two cores, where
    // the run kept the cores busy 69% of its 1,272 s; with two at once, 98% of 919 s.
    maxWorkers: availableParallelism(),
    globalSetup: ['./tests/support/execute-lessons.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
