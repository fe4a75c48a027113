/**
 * The vitest configuration of the checks: public (exercises/NN-slug/checks.test.ts) and hidden
 * (solutions/NN-slug/hidden.test.ts, not in a student release).
 *
 * The checks import the code under test as `@submission/NN-slug/<file>`; this config decides
 * which folder that is, from the settings the grader passes in the environment (checks-env.ts):
 * the folder of `NN-slug/` folders graded (default `exercises`), and a folder per exercise that
 * overrides it (the tests grade a mutant of one exercise next to the solutions of the others).
 * The other settings: the time one check may wait, extra repetitions of every check, check files
 * run at once, and in a grading run the report file (vitest's JSON report goes there and progress
 * to the grader, see grading-reporter.ts; only then are the canaries of checker/shared/canary.ts
 * planted, since only that reporter can tell them apart).
 *
 * Only the check files the course manifest names are ever run: test files a student adds next to
 * their code are not picked up. What code under test may import is decided in import-rules.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { cores } from '../../tooling/processes';
import { readChecksEnv } from './checks-env';
import { ISOLATION_SLOWDOWN, isolateSubmissions } from '../isolate/vite-plugin';
import { importRules } from './import-rules';

/** `text` as a regular expression that matches it literally. */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const settings = readChecksEnv();
const exercises = loadExercises(root);

const defaultDir = path.resolve(root, settings.submissionDir ?? LAYOUT.exercises);
const overrides = Object.entries(settings.submissions ?? {}).map(([id, dir]) => [id, path.resolve(root, dir)] as const);
/** Every exercise with the folder graded for it: its own folder when one is named, else under the default folder. */
const graded = exercises.map((exercise) => ({
  exercise,
  dir: overrides.find(([id]) => id === exercise.id)?.[1] ?? path.join(defaultDir, exercise.id),
}));

const { reportFile } = settings;
// The submission's code in a process of its own answers slower: each use of it is a message there and back.
const testTimeoutMs = (settings.testTimeoutMs ?? 5000) * (settings.isolate ? ISOLATION_SLOWDOWN : 1);

/** Exercises whose code runs in a process of its own: all of them when isolating. */
const isolated = new Set(settings.isolate ? graded.map(({ exercise }) => exercise.id) : []);

export default defineConfig({
  root,
  plugins: [isolateSubmissions(root, graded.filter(({ exercise }) => isolated.has(exercise.id))), importRules(root, graded)],
  resolve: {
    // The code of every other exercise is imported in this process, from its folder.
    alias: graded.filter(({ exercise }) => !isolated.has(exercise.id)).map(({ exercise, dir }) => ({ find: `@submission/${exercise.id}`, replacement: dir })),
  },
  cacheDir: path.join(root, LAYOUT.cache, 'vite'),
  test: {
    include: exercises.flatMap((e) => [e.checks, e.hiddenChecks]).map(toPosix),
    // Each check file in a process of its own, one per core: code under test cannot reach the
    // grading process, and one stuck exercise does not stop the others.
    pool: 'forks',
    // The gradebook grades several submissions at once and shares the cores between them.
    maxWorkers: settings.maxWorkers ?? cores(),
    // Values in failure messages whole, not elided (`[ Array(40) ]`): the grader says them in words (comparisons.ts).
    chaiConfig: { truncateThreshold: 0 },
    testTimeout: testTimeoutMs,
    // Vitest matches a check's names, file first, joined by spaces: a title list becomes "ends with one of these".
    testNamePattern: settings.onlyChecks && new RegExp(`(?:^| )(?:${settings.onlyChecks.map((title) => escapeRegExp(title.split(' > ').join(' '))).join('|')})$`),
    hookTimeout: testTimeoutMs,
    // harden-setup.ts first: it takes from `process` what reaches around the import rules, before anything else loads.
    setupFiles: [path.join(root, LAYOUT.grader, 'harden-setup.ts'), path.join(root, LAYOUT.grader, 'run-setup.ts'), ...((settings.repeats ?? 0) > 0 ? [path.join(root, LAYOUT.grader, 'repeat-setup.ts')] : [])],
    watch: false,
    // Check files that run code in another language (Python) find the graded folders here.
    provide: { canaries: reportFile !== undefined, onlyChecks: settings.onlyChecks ?? [], submissionDirs: Object.fromEntries(graded.map(({ exercise, dir }) => [exercise.id, dir])) },
    reporters: reportFile ? [[path.join(root, LAYOUT.grader, 'grading-reporter.ts'), { outputFile: reportFile }]] : ['default'],
  },
});
