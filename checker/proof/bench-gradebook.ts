/**
 * `npm run bench:gradebook`: grades 40 synthetic submissions (the solutions, the starters, and the
 * solutions with one mutant each) as the gradebook does, several at a time, and compares the rate
 * with grading submissions one after another, measured in the same run.
 *
 *   npm run bench:gradebook -- --count 40 --sequential 10
 *
 * The one-after-another rate is measured on the first `--sequential` submissions (same mix) and
 * said so in the output; `--sequential 40` measures all of them.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { findRoot, LAYOUT, loadExercises } from '../../tooling/course';
import { cores } from '../../tooling/system';
import { gradeClass, type StudentGrade } from '../class/grade-class';
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

async function timed(dir: string, jobs: number): Promise<{ rows: StudentGrade[]; seconds: number }> {
  const started = process.hrtime.bigint();
  const rows = await gradeClass({ submissionsDir: dir, jobs });
  return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Sanity: solutions score full marks, starters 0, a mutant less than full marks. */
function surprises(rows: StudentGrade[]): string[] {
  return rows.flatMap((r) => {
    const ok = r.student.endsWith('-solutions') ? r.points === r.maxPoints : r.student.endsWith('-starters') ? r.points === 0 : r.points < r.maxPoints;
    return ok ? [] : [`${r.student}: ${r.points}/${r.maxPoints}`];
  });
}

async function main(flags: { count: string; sequential: string }): Promise<void> {
  const root = findRoot(__dirname);
  const count = Number(flags.count);
  const sequential = Math.min(count, Number(flags.sequential));
  const work = path.join(root, LAYOUT.cache, 'bench-gradebook');
  fs.rmSync(work, { recursive: true, force: true });
  const all = path.join(work, 'all');
  const subset = path.join(work, 'sequential');
  plans(root, count).forEach(([name, plan], i) => {
    plantSubmission(root, path.join(all, name), plan);
    if (i < sequential) plantSubmission(root, path.join(subset, name), plan);
  });
  console.log(`${count} synthetic submissions (solutions, starters, one mutant each), every exercise; ${cores()} cores.`);

  const parallel = await timed(all, cores());
  const perMinute = (count * 60) / parallel.seconds;
  console.log(`several at a time (${cores()} jobs): ${count} in ${parallel.seconds.toFixed(1)} s = ${perMinute.toFixed(1)} submissions/min`);

  const oneByOne = await timed(subset, 1);
  const sequentialPerMinute = (sequential * 60) / oneByOne.seconds;
  const note = sequential < count ? ` (measured on the first ${sequential} of the ${count}, same mix; ${count} would take ~${((oneByOne.seconds * count) / sequential).toFixed(0)} s)` : '';
  console.log(`one after another: ${sequential} in ${oneByOne.seconds.toFixed(1)} s = ${sequentialPerMinute.toFixed(1)} submissions/min${note}`);
  console.log(`ratio: ${(perMinute / sequentialPerMinute).toFixed(2)}x the one-after-another rate`);

  const odd = surprises(parallel.rows);
  console.log(odd.length === 0 ? 'grades as expected: solutions full marks, starters 0, every mutant below full marks' : `unexpected grades: ${odd.join(', ')}`);
  fs.rmSync(work, { recursive: true, force: true });
  if (odd.length > 0) process.exitCode = 1;
}

new Command()
  .name('bench-gradebook')
  .option('--count <n>', 'synthetic submissions', '40')
  .option('--sequential <n>', 'of which graded one after another for the baseline', '10')
  .action(main)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
