/**
 * The vitest configuration of the checks: public (exercises/NN-slug/checks.test.ts) and hidden
 * (solutions/NN-slug/hidden.test.ts, not in a student release).
 *
 * The checks import the code under test as `@submission/NN-slug/<file>`; this config decides
 * which folder that is, from the environment:
 * - `CHECKS_SUBMISSION_DIR`: a folder holding `NN-slug/` folders (default `exercises`);
 * - `CHECKS_SUBMISSIONS`: JSON `{ "NN-slug": "folder" }`, a folder per exercise, overriding the
 *   above (the tests grade a mutant of one exercise next to the solutions of the others).
 * Other knobs: `CHECKS_TEST_TIMEOUT_MS` (per check, default 5000), `CHECKS_REPEATS` (run every
 * check that many extra times), `CHECKS_REPORT_FILE` (grading run: write vitest's JSON report
 * there and send progress to the grader, see grading-reporter.ts; only then are the canaries of
 * checker/shared/canary.ts planted, since only that reporter can tell them apart), `GRADE_MAX_WORKERS` (check files
 * run at once; default one per core).
 *
 * Only the check files the course manifest names are ever run: test files a student adds next to
 * their code are not picked up. What code under test may import is decided in import-rules.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { cores, toPosix } from '../../tooling/system';
import { importRules } from './import-rules';

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const env = process.env;
const exercises = loadExercises(root);

const defaultDir = path.resolve(root, env.CHECKS_SUBMISSION_DIR ?? LAYOUT.exercises);
const overrides = Object.entries(JSON.parse(env.CHECKS_SUBMISSIONS ?? '{}') as Record<string, string>).map(
  ([id, dir]) => [id, path.resolve(root, dir)] as const,
);
/** Every exercise with the folder graded for it: its own from CHECKS_SUBMISSIONS, else under the default folder. */
const graded = exercises.map((exercise) => ({
  exercise,
  dir: overrides.find(([id]) => id === exercise.id)?.[1] ?? path.join(defaultDir, exercise.id),
}));

const reportFile = env.CHECKS_REPORT_FILE;

export default defineConfig({
  root,
  plugins: [importRules(root, graded)],
  resolve: {
    alias: [
      ...overrides.map(([id, dir]) => ({ find: `@submission/${id}`, replacement: dir })),
      { find: /^@submission\/(.*)$/, replacement: `${defaultDir}/$1` },
    ],
  },
  cacheDir: path.join(root, LAYOUT.cache, 'vite'),
  test: {
    include: exercises.flatMap((e) => [e.checks, e.hiddenChecks]).map(toPosix),
    // Each check file in a process of its own, one per core: code under test cannot reach the
    // grading process, and one stuck exercise does not stop the others.
    pool: 'forks',
    // GRADE_MAX_WORKERS: the gradebook grades several submissions at once and shares the cores.
    maxWorkers: Math.max(1, Number(env.GRADE_MAX_WORKERS) || cores()),
    testTimeout: Number(env.CHECKS_TEST_TIMEOUT_MS ?? 5000),
    hookTimeout: Number(env.CHECKS_TEST_TIMEOUT_MS ?? 5000),
    // harden-setup.ts first: it takes from `process` what reaches around the import rules, before anything else loads.
    setupFiles: [path.join(root, LAYOUT.grader, 'harden-setup.ts'), path.join(root, LAYOUT.grader, 'run-setup.ts'), ...(Number(env.CHECKS_REPEATS ?? 0) > 0 ? [path.join(root, LAYOUT.grader, 'repeat-setup.ts')] : [])],
    watch: false,
    // Check files that run code in another language (Python) find the graded folders here.
    provide: { canaries: reportFile !== undefined, submissionDirs: Object.fromEntries(graded.map(({ exercise, dir }) => [exercise.id, dir])) },
    reporters: reportFile ? [[path.join(root, LAYOUT.grader, 'grading-reporter.ts'), { outputFile: reportFile }]] : ['default'],
  },
});
