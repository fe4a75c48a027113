/**
 * `npm run bench:grade`: what the grader's safety costs.
 *
 * 1. The wall time of `npm run grade -- --solutions` against a bare `vitest run` of the same check
 *    files with the same config, measured in this one run: first once each with the type-check
 *    cache empty, then in alternating rounds with it warm (the usual case: re-grading code whose
 *    unchanged files were type-checked before), as medians and best times. The baseline is
 *    `npx vitest run` (through npm, like `npm run grade`) and, stricter, vitest's entry point run
 *    by node directly. Goal: at most 1.2x.
 * 2. A re-grade after a save, exercise 08: the time from saving a file to its new grade in watch
 *    mode (vitest and the type-checker kept warm, as for the notebook's `grade()`), beside a cold
 *    `npm run grade -- 08` and a cold `npx vitest run` of the same check files after the same
 *    edit, in alternating rounds. Goal: a warm re-grade <= 1.0 s median on two cores.
 *
 * `npm run bench:grade -- --regrade` measures the second part only.
 *
 * A benchmark, not a test: it prints figures and exits 0.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { checksEnv } from '../grade/checks-env';
import { copyExercise } from './mutation';

const root = findRoot(__dirname);
const ROUNDS = 4;
const EDITS = 5;
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

/**
 * Starts a watcher on a copy of exercise 08 and, in alternating rounds, edits the copy and times
 * its re-grade, a cold grade and a cold `npx vitest run` of the same checks.
 */
async function regrade(): Promise<void> {
  console.log('\nA re-grade after a save of exercise 08: watch mode (warm) against cold runs, each after an edit\n');
  const copy = path.join(root, LAYOUT.cache, 'bench', 'watch');
  fs.rmSync(copy, { recursive: true, force: true });
  const retry = loadExercises(root).find((e) => e.id === '08-retry-backoff');
  if (!retry) throw new Error('the re-grade benchmark edits exercise 08-retry-backoff, which is gone');
  // The watcher's copy, and one for the cold runs, whose edits the watcher does not see.
  const [watched, cold] = ['watched', 'cold'].map((name) => path.join(copy, name));
  for (const dir of [watched, cold]) copyExercise(path.join(root, retry.solutionDir), path.join(dir, retry.id));
  // A new comment: new content, so the type-check cache cannot answer and the type-check runs too.
  const edit = (dir: string, what: string) => fs.appendFileSync(path.join(dir, retry.id, 'retry.ts'), `\n// ${what} at ${Date.now()}\n`);
  const dir = path.relative(root, watched);
  const coldGrade = () => timed(npm, ['run', '-s', 'grade', '--', retry.id, '--dir', path.relative(root, cold)]);
  const checks = [retry.checks, retry.hiddenChecks].filter((check) => fs.existsSync(path.join(root, check)));
  const submission = checksEnv({ submissions: { [retry.id]: path.join(cold, retry.id) } });
  const coldVitest = () => timed(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vitest', ...config, ...checks], submission);
  const watcher = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(LAYOUT.grader, 'cli.ts'), 'grade', retry.id, '--dir', dir, '--watch', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: watcher.stdout });
  const next = () =>
    new Promise<{ ms: number; report: { ok: boolean } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no grade from the watcher within 60 s')), 60_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { ms: number; report: { ok: boolean } });
      });
    });
  try {
    const first = await next();
    console.log(`  first grade in watch mode (starts vitest and the type-checker): ${s(first.ms / 1000)} (${first.report.ok ? 'passes' : 'FAILS'})`);
    const runs: Record<'warm' | 'grade' | 'vitest', number[]> = { warm: [], grade: [], vitest: [] };
    for (let round = 1; round <= EDITS; round++) {
      const graded = next();
      const saved = performance.now();
      edit(watched, `warm ${round}`);
      const result = await graded;
      runs.warm.push((performance.now() - saved) / 1000);
      if (!result.report.ok) console.log(`  round ${round}: the warm re-grade FAILS`);
      edit(cold, `grade ${round}`);
      runs.grade.push(coldGrade());
      edit(cold, `vitest ${round}`);
      runs.vitest.push(coldVitest());
    }
    const warm = median(runs.warm);
    console.log(`  ${EDITS} rounds (median / best), each after an edit:`);
    console.log(`    watch mode, save to new grade (warm)  ${s(warm)} / ${s(Math.min(...runs.warm))} (goal <= 1.0 s on two cores)`);
    for (const [name, times] of [['npm run grade -- 08 (cold)', runs.grade], ['npx vitest run, same checks (cold)', runs.vitest]] as const) {
      console.log(`    ${name.padEnd(38)}${s(median(times))} / ${s(Math.min(...times))}: warm is ${(warm / median(times)).toFixed(2)}x of it`);
    }
    console.log(`    (every run, in order: warm ${runs.warm.map(s).join(', ')}; grade ${runs.grade.map(s).join(', ')}; vitest ${runs.vitest.map(s).join(', ')})`);
  } finally {
    watcher.kill();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--regrade')) compareWithBareVitest();
  await regrade();
  console.log(`\n(load: ${os.loadavg().map((load) => load.toFixed(2)).join(', ')} over 1, 5, 15 min; ${os.availableParallelism()} cores)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
