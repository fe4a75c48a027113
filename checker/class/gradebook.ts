/**
 * Grades a whole class against the public and hidden checks (instructor's copy only).
 *
 *   npm run gradebook -- <submissions-dir>               one folder per student (a release with their changes)
 *   npm run gradebook -- <dir> --out grades --jobs 2     where to write, how many at once (default: cores)
 *   npm run gradebook -- <dir> --exercises 08 07         only these exercises
 *
 * Writes <out>/gradebook.csv, <out>/gradebook.json and <out>/feedback/<student>.md; <out> is
 * `gradebook/` next to the submissions folder unless given. See grade-class.ts for the isolation.
 * @module
 */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { findExercise, findRoot, loadExercises } from '../../tooling/course';
import { DEFAULT_TIME_LIMIT_MS } from '../grade/grade';
import { gradeClass, listSubmissions, type StudentGrade } from './grade-class';
import { writeGradebook } from './gradebook-files';

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

interface Flags {
  out?: string;
  jobs?: number;
  exercises?: string[];
  timeLimit: number;
}

async function main(submissionsDir: string, flags: Flags): Promise<number> {
  const all = loadExercises(findRoot(__dirname));
  const exercises = (flags.exercises ?? []).map((q) => findExercise(all, q).id);
  const ids = exercises.length ? exercises : all.map((e) => e.id);
  const dir = path.resolve(submissionsDir);
  const out = path.resolve(flags.out ?? path.join(path.dirname(dir), 'gradebook'));
  const count = listSubmissions(dir).length;
  if (count === 0) {
    console.error(`no submission folders in ${dir}`);
    return 1;
  }
  // A progress bar on a terminal; plain lines in a log.
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'grading [{bar}] {value}/{total} submissions | {student}', hideCursor: true }) : undefined;
  bar?.start(count, 0, { student: '' });
  const onGraded = (row: StudentGrade, done: number, total: number) => {
    if (bar) bar.update(done, { student: `${row.student}: ${row.points}/${row.maxPoints}` });
    else console.error(`[${done}/${total}] ${row.student}: ${row.points}/${row.maxPoints}`);
  };
  const started = Date.now();
  const rows = await gradeClass({ submissionsDir: dir, exercises, jobs: flags.jobs, timeLimitMs: flags.timeLimit * 1000, onGraded });
  bar?.stop();
  writeGradebook(out, rows, ids);
  const troubled = rows.filter((r) => r.timedOut.length || r.crashed.length).length;
  console.log(`Graded ${rows.length} submissions in ${((Date.now() - started) / 1000).toFixed(1)} s (${troubled} with timed-out or crashed exercises).`);
  console.log(`Wrote ${path.join(out, 'gradebook.csv')}, gradebook.json and feedback/ (one file per student).`);
  return 0;
}

if (require.main === module) {
  new Command()
    .name('gradebook')
    .description('grade every submission folder against the public and hidden checks')
    .argument('<submissions-dir>', 'a folder with one folder per student')
    .option('--out <dir>', 'where to write the gradebook (default: gradebook/ next to the submissions)')
    .option('--jobs <n>', 'submissions graded at once (default: the number of cores)', positive)
    .option('--exercises <ids...>', 'grade only these exercises')
    .option('--time-limit <seconds>', 'wall time the checks of one exercise may take', positive, DEFAULT_TIME_LIMIT_MS / 1000)
    .action(async (dir: string, flags: Flags) => {
      process.exitCode = await main(dir, flags);
    })
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 2;
    });
}
