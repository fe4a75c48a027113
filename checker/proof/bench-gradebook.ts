/**
 * `npm run bench:gradebook`: grades synthetic submissions (the solutions, the starters, and the
 * solutions with one mutant each) as the gradebook does, and prints, measured side by side in one
 * run:
 * 1. what the sandbox costs: submissions per minute with each one in a bubblewrap sandbox, against
 *    the same submissions graded without one (goal: the sandbox costs at most 15%);
 * 2. what sharding gives: the same class graded as two shards, one after the other here (two
 *    machines would run them at once), then merged, against one run.
 *
 *   npm run bench:gradebook -- --count 20
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { cores } from '../../tooling/processes';
import { gradeClass, listSubmissions, type StudentGrade } from '../class/grade-class';
import { shardOf } from '../class/gradebook';
import { mergeGradebooks, writeGradebook } from '../class/gradebook-files';
import { plantSubmission, type PlantedSubmission } from './synthetic-class';

/** The mix: a quarter solutions, a quarter starters, half solutions with one mutant each. */
function plans(root: string, count: number): [string, PlantedSubmission][] {
  const mutants = loadExercises(root).flatMap((e) => e.mutants.map((m) => ({ id: e.id, name: m.name })));
  return Array.from({ length: count }, (_, i): [string, PlantedSubmission] => {
    const name = `s${String(i + 1).padStart(2, '0')}`;
    if (i % 4 === 0) return [`${name}-solutions`, { base: 'solution' }];
    if (i % 4 === 1) return [`${name}-starters`, { base: 'starter' }];
    const mutant = mutants[i % mutants.length];
    return [`${name}-mutant-${mutant.id.slice(0, 2)}-${mutant.name}`, { base: 'solution', mutants: { [mutant.id]: mutant.name } }];
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Sanity: solutions score full marks, starters 0, a mutant less than full marks. */
function surprises(rows: StudentGrade[]): string[] {
  return rows.flatMap((r) => {
    const ok = r.student.endsWith('-solutions') ? r.points === r.maxPoints : r.student.endsWith('-starters') ? r.points === 0 : r.points < r.maxPoints;
    return ok ? [] : [`${r.student}: ${r.points}/${r.maxPoints}`];
  });
}

async function main(flags: { count: string }): Promise<void> {
  const root = findRoot(__dirname);
  const count = Number(flags.count);
  const work = path.join(root, LAYOUT.cache, 'bench-gradebook');
  fs.rmSync(work, { recursive: true, force: true });
  const submissionsDir = path.join(work, 'submissions');
  for (const [name, plan] of plans(root, count)) plantSubmission(root, path.join(submissionsDir, name), plan);
  const perMinute = (seconds: number) => ((count * 60) / seconds).toFixed(1);
  console.log(`${count} synthetic submissions (solutions, starters, one mutant each), every exercise; ${cores()} cores, ${cores()} at a time.\n`);

  const sandboxed = await timed(() => gradeClass({ submissionsDir, sandbox: true }));
  const bare = await timed(() => gradeClass({ submissionsDir, sandbox: false }));
  console.log('1. What the sandbox costs');
  console.log(`   without a sandbox (the anchor): ${bare.seconds.toFixed(1)} s = ${perMinute(bare.seconds)} submissions/min`);
  console.log(`   in bubblewrap sandboxes:        ${sandboxed.seconds.toFixed(1)} s = ${perMinute(sandboxed.seconds)} submissions/min`);
  const cost = sandboxed.seconds / bare.seconds - 1;
  console.log(`   the sandbox costs ${(cost * 100).toFixed(1)}% (goal: at most 15%)\n`);

  const ids = loadExercises(root).map((e) => e.id);
  writeGradebook(path.join(work, 'one-run'), sandboxed.value, ids);
  const students = listSubmissions(submissionsDir);
  const shards = [];
  for (const index of [1, 2]) {
    const shard = await timed(() => gradeClass({ submissionsDir, students: shardOf(students, { index, count: 2 }) }));
    writeGradebook(path.join(work, `shard-${index}`), shard.value, ids);
    shards.push(shard.seconds);
  }
  const merge = await timed(() => Promise.resolve(mergeGradebooks([1, 2].map((i) => path.join(work, `shard-${i}`)), path.join(work, 'merged'))));
  const same = ['gradebook.csv', 'gradebook.json'].every((file) => fs.readFileSync(path.join(work, 'merged', file), 'utf8') === fs.readFileSync(path.join(work, 'one-run', file), 'utf8'));
  const onTwoMachines = Math.max(...shards) + merge.seconds;
  console.log('2. What sharding gives');
  console.log(`   one run (the anchor): ${sandboxed.seconds.toFixed(1)} s`);
  console.log(`   two shards: ${shards.map((s) => `${s.toFixed(1)} s`).join(' and ')}, merged in ${merge.seconds.toFixed(2)} s`);
  console.log(`   on two machines at once: ${onTwoMachines.toFixed(1)} s = ${(sandboxed.seconds / onTwoMachines).toFixed(2)}x as fast as one run`);
  console.log(`   merged gradebook the same as one run's, byte for byte: ${same ? 'yes' : 'NO'}`);
  if (!same) {
    // Which students came out differently: a grade that changes between two runs is a check that depends on timing.
    const rows = (dir: string) => new Set(fs.readFileSync(path.join(work, dir, 'gradebook.csv'), 'utf8').split('\n'));
    const [one, merged] = [rows('one-run'), rows('merged')];
    for (const row of one) if (!merged.has(row)) console.log(`     one run: ${row}`);
    for (const row of merged) if (!one.has(row)) console.log(`     shards:  ${row}`);
  }
  console.log('');

  const odd = [...surprises(sandboxed.value), ...surprises(bare.value)];
  console.log(odd.length === 0 ? 'grades as expected: solutions full marks, starters 0, every mutant below full marks' : `unexpected grades: ${odd.join(', ')}`);
  fs.rmSync(work, { recursive: true, force: true });
  if (odd.length > 0 || !same) process.exitCode = 1;
}

new Command()
  .name('bench-gradebook')
  .option('--count <n>', 'synthetic submissions', '20')
  .action(main)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
