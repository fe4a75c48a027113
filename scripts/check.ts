/**
 * `npm run check [-- NN ...]`: the everyday check, in a few minutes where `npm test` takes many:
 * the type-check, the linters, the fast tests (vitest.check.mts: no Jupyter, no browser, no
 * grading of every exercise), then `npm run check:exercise` for each exercise named, or, when
 * none is named, for each exercise whose folders have changes git has not committed.
 * It runs every step, prints how long each took, and exits 1 when one failed.
 * @module
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findExercise, findRoot, LAYOUT, loadExercises, type Exercise } from '../tooling/course';
import { toPosix } from '../tooling/files';

const root = findRoot(__dirname);
const node = (script: string, ...args: string[]) => [process.execPath, path.join(root, 'node_modules', script), ...args];
const tsx = (file: string, ...args: string[]) => node(path.join('tsx', 'dist', 'cli.mjs'), path.join(root, file), ...args);

/** The exercises with uncommitted changes in either of their folders (none outside a git checkout). */
function changedExercises(all: Exercise[]): Exercise[] {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', LAYOUT.exercises, LAYOUT.solutions], { cwd: root, encoding: 'utf8' });
  const files = status.status === 0 ? status.stdout.split('\n').filter(Boolean).map((line) => line.slice(3)) : [];
  return all.filter((e) => files.some((file) => [e.dir, e.solutionDir].some((dir) => file.startsWith(`${toPosix(dir)}/`))));
}

const queries = process.argv.slice(2);
const all = loadExercises(root);
const exercises = queries.length > 0 ? queries.map((q) => findExercise(all, q)) : changedExercises(all);
const steps: [string, string[]][] = [
  ['type-check', tsx(path.join(LAYOUT.tooling, 'typecheck.ts'))],
  ['eslint', node(path.join('eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '--cache', '--cache-location', path.join(root, LAYOUT.cache, 'eslint'), '.')],
  ['knip', node(path.join('knip', 'bin', 'knip.js'))],
  ['fast tests', node(path.join('vitest', 'vitest.mjs'), 'run', '--config', path.join(root, 'vitest.check.mts'))],
  ...exercises.map((e): [string, string[]] => [`check:exercise ${e.id}`, tsx(path.join(LAYOUT.scripts, 'check-exercise.ts'), e.id)]),
];

const results: string[] = [];
let failed = 0;
for (const [name, [command, ...args]] of steps) {
  console.log(`\n== ${name}`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = run.status === 0;
  failed += ok ? 0 : 1;
  results.push(`${ok ? '✓' : '✗'} ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
}
if (exercises.length === 0) results.push('  no exercise changed: name some to check them (npm run check -- 08)');
console.log(`\n${results.join('\n')}\n${steps.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
