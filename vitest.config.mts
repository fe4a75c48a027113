import { defineConfig } from 'vitest/config';

// The workbook's own tests. The checks in checker/checks and checker/hidden are not run directly: the
// checker's tests run them against solutions/, the starters and the mutants (see checker/).
export default defineConfig({
  test: {
    include: ['toolkit/**/*.test.ts', 'checker/**/*.test.ts', 'site/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'checker/checks/**', 'checker/hidden/**', 'site/_site/**'],
    testTimeout: 20_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
