/**
 * Grades a whole class against the public and hidden checks (instructor's copy only).
 *
 *   npm run gradebook -- <submissions-dir>               one folder per student (a release with their changes)
 *   npm run gradebook -- <dir> --out grades --jobs 2     where to write, how many at once (default: cores)
 *   npm run gradebook -- <dir> --exercises 08 07         only these exercises
 *   npm run gradebook -- <dir> --shard 2/8 --out s2      the 2nd of 8 stable slices of the class (one machine each)
 *   npm run gradebook -- merge s1 s2 ... --out grades    join the shards' gradebooks into one
 *
 * Writes <out>/gradebook.csv, <out>/gradebook.json and <out>/feedback/<student>.md; <out> is
 * `gradebook/` next to the submissions folder unless given. Every submission is graded in a
 * bubblewrap sandbox (see sandbox.ts); without bubblewrap the command refuses to grade unless
 * given --no-sandbox.
 * @module
 */
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { findExercise, findRoot, loadExercises } from '../../tooling/course';
import { DEFAULT_TIME_LIMIT_MS } from '../grade/grade';
import { gradeClass, listSubmissions, type StudentGrade } from './grade-class';
import { mergeGradebooks, writeGradebook } from './gradebook-files';
import { sandboxUnavailable } from './sandbox';

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

/** A shard `i/n`: the i-th of n slices, counted from 1. */
function shard(value: string): { index: number; count: number } {
  const [index, count] = value.split('/').map(Number);
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 1 || index > count) throw new InvalidArgumentError('expected i/n with 1 <= i <= n, e.g. 2/8');
  return { index, count };
}

/** The students of shard `index` of `count`: every count-th, by name, so that shards are stable and even. */
export function shardOf(students: string[], slice: { index: number; count: number }): string[] {
  return students.filter((_, k) => k % slice.count === slice.index - 1);
}

interface Flags {
  out?: string;
  jobs?: number;
  exercises?: string[];
  timeLimit: number;
  memoryMb?: number;
  sandbox: boolean;
  shard?: { index: number; count: number };
}

async function grade(submissionsDir: string, flags: Flags): Promise<number> {
  const all = loadExercises(findRoot(__dirname));
  const exercises = (flags.exercises ?? []).map((q) => findExercise(all, q).id);
  const ids = exercises.length ? exercises : all.map((e) => e.id);
  const dir = path.resolve(submissionsDir);
  const out = path.resolve(flags.out ?? path.join(path.dirname(dir), 'gradebook'));
  const students = flags.shard ? shardOf(listSubmissions(dir), flags.shard) : listSubmissions(dir);
  if (students.length === 0) {
    console.error(`no submission folders in ${dir}${flags.shard ? ` for shard ${flags.shard.index}/${flags.shard.count}` : ''}`);
    return 1;
  }
  if (flags.sandbox) {
    const why = sandboxUnavailable();
    if (why) {
      console.error(`Refusing to grade: every submission is graded in a sandbox, and ${why}.`);
      console.error('Grading without one (--no-sandbox) runs every student\'s code with your permissions: do it only in a throwaway machine.');
      return 2;
    }
  }
  // A progress bar on a terminal; plain lines in a log.
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'grading [{bar}] {value}/{total} submissions | {student}', hideCursor: true }) : undefined;
  bar?.start(students.length, 0, { student: '' });
  const onGraded = (row: StudentGrade, done: number, total: number) => {
    if (bar) bar.update(done, { student: `${row.student}: ${row.points}/${row.maxPoints}` });
    else console.error(`[${done}/${total}] ${row.student}: ${row.points}/${row.maxPoints}`);
  };
  const started = Date.now();
  const rows = await gradeClass({
    submissionsDir: dir,
    students,
    exercises,
    jobs: flags.jobs,
    sandbox: flags.sandbox,
    timeLimitMs: flags.timeLimit * 1000,
    memoryMb: flags.memoryMb,
    onGraded,
  });
  bar?.stop();
  writeGradebook(out, rows, ids);
  const troubled = rows.filter((r) => r.timedOut.length || r.crashed.length).length;
  console.log(`Graded ${rows.length} submissions in ${((Date.now() - started) / 1000).toFixed(1)} s (${troubled} with timed-out or crashed exercises)${flags.sandbox ? '' : ', without a sandbox'}.`);
  console.log(`Wrote ${path.join(out, 'gradebook.csv')}, gradebook.json and feedback/ (one file per student).`);
  return 0;
}

if (require.main === module) {
  const program = new Command().name('gradebook').description('grade a class against the public and hidden checks');
  program
    .command('grade', { isDefault: true })
    .description('grade every submission folder, each in a sandbox')
    .argument('<submissions-dir>', 'a folder with one folder per student')
    .option('--out <dir>', 'where to write the gradebook (default: gradebook/ next to the submissions)')
    .option('--jobs <n>', 'submissions graded at once (default: the number of cores)', positive)
    .option('--exercises <ids...>', 'grade only these exercises')
    .option('--time-limit <seconds>', 'wall time the checks of one exercise may take', positive, DEFAULT_TIME_LIMIT_MS / 1000)
    .option('--memory-mb <mb>', 'memory one submission may use (default 4096)', positive)
    .option('--shard <i/n>', 'grade only the i-th of n stable slices of the submissions (merge them with `merge`)', shard)
    .option('--no-sandbox', 'grade without bubblewrap: the students\' code runs with your permissions')
    .action(async (dir: string, flags: Flags) => {
      process.exitCode = await grade(dir, flags);
    });
  program
    .command('merge')
    .description('join the gradebooks of shards into the files one unsharded run writes')
    .argument('<shard-dirs...>', 'the --out folders of the shards')
    .requiredOption('--out <dir>', 'where to write the joined gradebook')
    .action((dirs: string[], flags: { out: string }) => {
      const rows = mergeGradebooks(dirs.map((d) => path.resolve(d)), path.resolve(flags.out));
      console.log(`Merged ${dirs.length} shards: ${rows.length} submissions into ${path.resolve(flags.out)}.`);
    });
  program.parseAsync(process.argv).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  });
}
