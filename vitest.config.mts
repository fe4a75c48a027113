import { defineConfig } from 'vitest/config';

// The workbook's own tests. The checks in checker/checks and checker/hidden are not run directly:
// the proofs in checker/proof run them against solutions/, the starters and the mutants.
export default defineConfig({
  test: {
    include: ['toolkit/**/*.test.ts', 'tooling/**/*.test.ts', 'checker/proof/**/*.test.ts', 'site/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'site/_site/**'],
    testTimeout: 20_000,
    globalSetup: ['./tests/support/execute-lessons.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
