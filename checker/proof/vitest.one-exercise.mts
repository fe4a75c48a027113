/**
 * The vitest configuration of `npm run check:exercise` (scripts/check-exercise.ts): the exercise
 * folder proofs (exercises.test.ts, beside this file) alone, for the exercises in PROOF_EXERCISES
 * (see test-support.ts), without the workbook's global setup, which executes every lesson.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    dir: path.dirname(fileURLToPath(import.meta.url)),
    include: ['exercises.test.ts'],
    testTimeout: 20_000,
  },
});
