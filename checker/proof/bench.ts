/**
 * `npm run bench:grade`: what the grader's safety costs.
 *
 * 1. The wall time of `npm run grade -- --solutions` against a bare `vitest run` of the same check
 *    files with the same config, measured in this one run: first once each with the type-check
 *    cache empty, then in alternating rounds with it warm (the usual case: re-grading code whose
 *    unchanged files were type-checked before), as medians and best times. The baseline is
 *    `npx vitest run` (through npm, like `npm run grade`) and, stricter, vitest's entry point run
 *    by node directly. Goal: at most 1.2x.
 * 2. Watch mode: the time from saving a file to the new grade of that one exercise. Goal: < 2 s.
 *
 * A benchmark, not a test: it prints figures and exits 0.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { checksEnv } from '../grade/checks-env';
import { copyExercise } from './mutation';

const root = findRoot(__dirname);
const ROUNDS = 4;
const WATCH_EDITS = 3;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  if (run.error) throw run.error;
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (seconds: number) => `${seconds.toFixed(2)} s`;

const grade = () => timed(npm, ['run', '-s', 'grade', '--', '--solutions']);
const solutions = checksEnv({ submissionDir: LAYOUT.solutions });
const config = ['run', '--configLoader', 'runner', '--config', path.join(LAYOUT.grader, 'vitest.checks.mts')];
/** `npx vitest run`: what a person types, through the same npm layer as `npm run grade`. */
const npxVitest = () => timed(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vitest', ...config], solutions);
/** vitest's own entry point, without npm in front: the strictest baseline. */
const nodeVitest = () => timed(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), ...config], solutions);

function compareWithBareVitest(): void {
  console.log('npm run grade -- --solutions against a bare vitest run of the same check files, same config\n');
  fs.rmSync(path.join(root, LAYOUT.cache, 'grade', 'type-check.json'), { force: true });
  const coldGrade = grade();
  const coldBare = npxVitest();
  console.log(`  type-check cache empty (first grade after a change): grade ${s(coldGrade)}, npx vitest run ${s(coldBare)}: ${(coldGrade / coldBare).toFixed(2)}x`);
  const runs: Record<'grade' | 'npx' | 'node', number[]> = { grade: [], npx: [], node: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.npx.push(npxVitest());
    runs.grade.push(grade());
    runs.node.push(nodeVitest());
  }
  console.log(`  type-check cache warm, ${ROUNDS} alternating rounds (median / best):`);
  console.log(`    npm run grade -- --solutions        ${s(median(runs.grade))} / ${s(Math.min(...runs.grade))}`);
  for (const [name, times] of [['npx vitest run', runs.npx], ['node node_modules/vitest/vitest.mjs', runs.node]] as const) {
    const ratio = median(runs.grade) / median(times);
    const best = Math.min(...runs.grade) / Math.min(...times);
    console.log(`    ${name.padEnd(36)}${s(median(times))} / ${s(Math.min(...times))}: grade is ${ratio.toFixed(2)}x / ${best.toFixed(2)}x (goal <= 1.2x)`);
  }
  console.log(`    (every run, in order: grade ${runs.grade.map(s).join(', ')}; npx ${runs.npx.map(s).join(', ')}; node ${runs.node.map(s).join(', ')})`);
}

/** Starts a watcher on a copy of exercise 08, edits the copy, and times each re-grade. */
async function watchRegrade(): Promise<void> {
  console.log('\nWatch mode: save a file of exercise 08, wait for its new grade\n');
  const copy = path.join(root, LAYOUT.cache, 'bench', 'watch');
  fs.rmSync(copy, { recursive: true, force: true });
  const retry = loadExercises(root).find((e) => e.id === '08-retry-backoff');
  if (!retry) throw new Error('the watch benchmark edits exercise 08-retry-backoff, which is gone');
  copyExercise(path.join(root, retry.solutionDir), path.join(copy, retry.id));
  const file = path.join(copy, retry.id, 'retry.ts');
  const watcher = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(LAYOUT.grader, 'cli.ts'), 'grade', retry.id, '--dir', path.relative(root, copy), '--watch', '--json'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = readline.createInterface({ input: watcher.stdout });
  const next = () =>
    new Promise<{ trigger: string; ms: number; report: { ok: boolean } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no grade from the watcher within 60 s')), 60_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { trigger: string; ms: number; report: { ok: boolean } });
      });
    });
  try {
    const first = await next();
    console.log(`  first grade: ${s(first.ms / 1000)} (${first.report.ok ? 'passes' : 'FAILS'})`);
    const walls: number[] = [];
    for (let edit = 1; edit <= WATCH_EDITS; edit++) {
      const graded = next();
      const saved = performance.now();
      // A new comment: new content, so the type-check cache cannot answer and tsc runs too.
      fs.appendFileSync(file, `\n// edit ${edit} at ${Date.now()}\n`);
      const result = await graded;
      const wall = (performance.now() - saved) / 1000;
      walls.push(wall);
      console.log(`  edit ${edit}: re-graded ${s(wall)} after the save (grading itself ${s(result.ms / 1000)}), ${result.report.ok ? 'passes' : 'FAILS'}`);
    }
    console.log(`  median: ${s(median(walls))} (goal < 2 s)`);
  } finally {
    watcher.kill();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  compareWithBareVitest();
  await watchRegrade();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
