import { defineConfig } from 'vitest/config';

// `npm run check` (scripts/check.ts): the workbook's fast tests, those that need no Jupyter, no
// browser and no grading of every exercise; `npm test` runs everything (vitest.config.mts).
export default defineConfig({
  test: {
    include: [
      'toolkit/**/*.test.ts',
      'tooling/**/*.test.ts',
      'tests/layout.test.ts',
      'tests/quiz.test.ts',
      'tests/notebook-format.test.ts',
      'tests/lesson-diagrams.test.ts',
      'checker/proof/grader-parts.test.ts',
      'checker/proof/feedback-parts.test.ts',
      'checker/proof/exercises.test.ts',
      'checker/proof/stryker/survivors.test.ts',
    ],
    exclude: ['node_modules/**'],
    testTimeout: 20_000,
  },
});
