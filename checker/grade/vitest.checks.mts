/**
 * The vitest configuration of the checks: public (checker/checks/NN-slug.test.ts) and hidden
 * (checker/hidden/NN-slug.test.ts, not in a student release).
 *
 * The checks import the code under test as `@submission/NN-slug/<file>`; this config decides
 * which folder that is, from the environment:
 * - `CHECKS_SUBMISSION_DIR`: a folder holding `NN-slug/` folders (default `exercises`);
 * - `CHECKS_SUBMISSIONS`: JSON `{ "NN-slug": "folder" }`, a folder per exercise, overriding the
 *   above (the tests grade a mutant of one exercise next to the solutions of the others).
 * Other knobs: `CHECKS_TEST_TIMEOUT_MS` (per check, default 5000), `CHECKS_REPEATS` (run every
 * check that many extra times), `CHECKS_REPORT_FILE` (grading run: write vitest's JSON report
 * there and send progress to the grader, see grading-reporter.ts), `GRADE_MAX_WORKERS` (check files
 * run at once; default one per core).
 *
 * Only files in checker/checks and checker/hidden are ever run: test files a student adds next to their code are
 * not picked up.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { cores, toPosix } from '../../tooling/system';

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const env = process.env;
const exercises = loadExercises(root);

const defaultDir = path.resolve(root, env.CHECKS_SUBMISSION_DIR ?? LAYOUT.exercises);
const overrides = Object.entries(JSON.parse(env.CHECKS_SUBMISSIONS ?? '{}') as Record<string, string>).map(
  ([id, dir]) => [id, path.resolve(root, dir)] as const,
);
const submissionDirs = [defaultDir, ...overrides.map(([, dir]) => dir)];

/**
 * The lessons' ready-made server and queue (toolkit/http, toolkit/queue) are what exercises 01
 * and 02 ask students to write: code under test may not import them. (netsim and broker are the
 * tools exercises are meant to build on.)
 */
const READY_MADE = ['http', 'queue'].map((name) => path.join(root, LAYOUT.toolkit, name));

/**
 * Code under test may not import vitest: it could otherwise register hooks that rewrite the
 * results of the checks that test it. Nor may it import the lessons' ready-made solutions.
 */
function forbidTestApiInSubmissions(): Plugin {
  const isSubmission = (file: string) => submissionDirs.some((dir) => file.startsWith(dir + path.sep));
  return {
    name: 'forbid-test-api-in-submissions',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !isSubmission(importer)) return null;
      if (/^(vitest|@vitest\/|vite-node|tinyspy)(\/|$)/.test(source)) {
        this.error(`${path.relative(root, importer)} imports "${source}": code under test may not use the test framework`);
      }
      if (source.startsWith('.')) {
        const target = path.resolve(path.dirname(importer), source).replace(/(\/index)?(\.ts)?$/, '');
        if (READY_MADE.some((dir) => target === dir || target.startsWith(dir + path.sep))) {
          this.error(
            `${path.relative(root, importer)} imports "${source}": write this exercise's code yourself; ` +
              'the lessons\' ready-made toolkit/http and toolkit/queue are off limits here',
          );
        }
      }
      return null;
    },
  };
}

const reportFile = env.CHECKS_REPORT_FILE;

export default defineConfig({
  root,
  plugins: [forbidTestApiInSubmissions()],
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
    setupFiles: Number(env.CHECKS_REPEATS ?? 0) > 0 ? [path.join(root, LAYOUT.grader, 'repeat-setup.ts')] : [],
    watch: false,
    reporters: reportFile ? [[path.join(root, LAYOUT.grader, 'grading-reporter.ts'), { outputFile: reportFile }]] : ['default'],
  },
});
