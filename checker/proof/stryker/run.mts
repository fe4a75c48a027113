/**
 * `npm run mutation -- [NN...] [--concurrency N]`: mutation testing of the checks with StrykerJS.
 * For each exercise named (default: every TypeScript exercise), one Stryker run mutates its
 * reference solution and runs its public and hidden checks on every mutant, the way the grader
 * runs them (the checks' vitest config with the solutions as the graded folder, see
 * vitest.mutation.mts); Stryker's TypeScript checker first drops the mutants that do not
 * type-check (such code earns no points).
 *
 * Settings common to every exercise are in stryker.config.json (test runner, checker, per-mutant
 * timeout: 1.5 × the checks' own time + 15 s, so that a busy machine does not pass a slow run off
 * as a mutant caught by a timeout: at 5 s, 09's error-message mutants did); the exercises run one
 * after the other, each with one test runner per core, or N (on a machine shared with other work). Prints per exercise what
 * became of its mutants, the scores and the survivors; writes the record `solutions/NN-slug/stryker.json`
 * that survivors.test.ts holds against the reviewed `equivalent/NN-slug.json` (see record.ts), and
 * Stryker's JSON and HTML reports to `.cache/mutation/NN-slug/`. Not part of `npm test`: a run
 * takes minutes per exercise.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { findExercise, findRoot, LAYOUT, loadExercises, type Exercise } from '../../../tooling/course';
import { toPosix } from '../../../tooling/files';
import { cores } from '../../../tooling/processes';
import { checksEnv } from '../../grade/checks-env';
import {
  account,
  describeSurvivor,
  fingerprint,
  readEquivalents,
  readPending,
  scores,
  snippet,
  strykerFiles,
  type MutantCounts,
  type MutationRecord,
  type Survivor,
} from './record';

const root = findRoot(import.meta.dirname);
/** What Stryker reports of one mutant. */
type MutantResult = Awaited<ReturnType<Stryker['runMutationTest']>>[number];

const files = strykerFiles(root);
const all = loadExercises(root);

function countsOf(results: MutantResult[]): MutantCounts {
  const count = (status: MutantResult['status']) => results.filter((r) => r.status === status).length;
  return {
    killed: count('Killed'),
    timedOut: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    compileErrors: count('CompileError'),
    runtimeErrors: count('RuntimeError'),
  };
}

/** The survivors of a run, in file and line order, with the code each replaced (Stryker's lines and columns start at 1). */
function survivorsOf(exercise: Exercise, results: MutantResult[]): Survivor[] {
  const sources = new Map<string, string[]>();
  const linesOf = (file: string) => sources.get(file) ?? sources.set(file, fs.readFileSync(path.resolve(root, file), 'utf8').split('\n')).get(file)!;
  const originalOf = (r: MutantResult) => {
    const { start, end } = r.location;
    const lines = linesOf(r.fileName).slice(start.line - 1, end.line);
    lines[lines.length - 1] = lines[lines.length - 1].slice(0, end.column - 1);
    lines[0] = lines[0].slice(start.column - 1);
    return lines.join('\n');
  };
  return results
    .filter((r) => r.status === 'Survived' || r.status === 'NoCoverage')
    .map((r) => ({
      file: toPosix(path.relative(path.join(root, exercise.solutionDir), path.resolve(root, r.fileName))),
      line: r.location.start.line,
      mutator: r.mutatorName,
      original: snippet(originalOf(r)),
      replacement: snippet(r.replacement ?? ''),
      status: r.status as Survivor['status'],
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.mutator.localeCompare(b.mutator));
}

async function runExercise(exercise: Exercise, concurrency: number): Promise<MutationRecord> {
  const reports = files.reports(exercise);
  fs.rmSync(reports, { recursive: true, force: true });
  // The checks' config grades this folder; relative, so that it names the solutions inside Stryker's sandbox.
  Object.assign(process.env, checksEnv({ submissionDir: LAYOUT.solutions }));
  // Of the files as Stryker copies them now, not as they may be once it is done.
  const ranOn = fingerprint(root, exercise, all);
  const started = Date.now();
  const results = await new Stryker({
    configFile: toPosix(path.relative(root, files.config)),
    mutate: exercise.files.map((file) => toPosix(path.join(exercise.solutionDir, file))),
    testFiles: [exercise.checks, exercise.hiddenChecks].filter((file) => fs.existsSync(path.join(root, file))).map(toPosix),
    concurrency,
    tempDirName: toPosix(files.sandbox),
    jsonReporter: { fileName: toPosix(path.relative(root, path.join(reports, 'mutation.json'))) },
    htmlReporter: { fileName: toPosix(path.relative(root, path.join(reports, 'mutation.html'))) },
  }).runMutationTest();
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@stryker-mutator', 'core', 'package.json'), 'utf8')) as { version: string };
  return {
    exercise: exercise.id,
    command: `npm run mutation -- ${exercise.number}`,
    strykerVersion: version.version,
    fingerprint: ranOn,
    seconds: Math.round((Date.now() - started) / 1000),
    counts: countsOf(results),
    survivors: survivorsOf(exercise, results),
  };
}

/** One row of the summary table, and the survivors below it. */
function report(exercise: Exercise, record: MutationRecord): { row: string; lines: string[] } {
  const { counts } = record;
  const { equivalent, unaccounted, stale } = account(record.survivors, readEquivalents(root, exercise));
  const score = scores(counts, equivalent.length);
  const mutants = (Object.values(counts) as number[]).reduce((a, b) => a + b, 0);
  const row = `| ${exercise.id} | ${mutants} | ${counts.compileErrors} | ${counts.killed} | ${counts.timedOut} | ${counts.survived} | ${counts.noCoverage} | ${equivalent.length} | ${score.nonEquivalent}% | ${score.all}% | ${record.seconds} s |`;
  const lines = [
    ...unaccounted.map((s) => `  NOT ACCOUNTED FOR ${describeSurvivor(exercise.solutionDir, s)}`),
    ...equivalent.map((s) => `  equivalent ${describeSurvivor(exercise.solutionDir, s)}`),
    ...stale.map((e) => `  STALE LISTING (no such survivor) ${describeSurvivor(exercise.solutionDir, { ...e, status: 'Survived' })}`),
  ];
  return { row, lines };
}

const HEADER = [
  '| exercise | mutants | type errors | killed | timed out | survived | no coverage | equivalent | score (non-equivalent) | score (all that type-check) | time |',
  '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
];

/** The exercises named on the command line, and `--concurrency N` (test runners at once; default one per core). */
function parseArguments(args: string[]): { queries: string[]; concurrency: number } {
  const at = args.indexOf('--concurrency');
  if (at < 0) return { queries: args, concurrency: cores() };
  const concurrency = Number(args[at + 1]);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency needs a whole number >= 1, got ${args[at + 1]}`);
  return { queries: args.filter((_arg, i) => i !== at && i !== at + 1), concurrency };
}

async function main(): Promise<void> {
  const { queries, concurrency } = parseArguments(process.argv.slice(2));
  const chosen = queries.length > 0 ? queries.map((q) => findExercise(all, q)) : all.filter((e) => e.language === 'typescript');
  const other = chosen.filter((e) => e.language !== 'typescript');
  if (other.length > 0) throw new Error(`Stryker mutates TypeScript only; not ${other.map((e) => `${e.id} (${e.language})`).join(', ')}`);

  const summary: ReturnType<typeof report>[] = [];
  let accounted = true;
  for (const exercise of chosen) {
    console.log(`\n== ${exercise.id}: Stryker on ${exercise.solutionDir}`);
    const record = await runExercise(exercise, concurrency);
    const resultFile = files.result(exercise);
    fs.mkdirSync(path.dirname(resultFile), { recursive: true });
    fs.writeFileSync(resultFile, `${JSON.stringify(record, null, 2)}\n`);
    const pending = readPending(root);
    if (exercise.id in pending) {
      delete pending[exercise.id];
      fs.writeFileSync(files.pending, `${JSON.stringify(pending, null, 2)}\n`);
    }
    const lines = report(exercise, record);
    accounted &&= !lines.lines.some((line) => !line.startsWith('  equivalent'));
    summary.push(lines);
    console.log([...HEADER, lines.row, ...lines.lines].join('\n'));
  }
  console.log(`\n${[...HEADER, ...summary.map((s) => s.row)].join('\n')}`);
  console.log(`\nRecorded in ${chosen.map((e) => toPosix(e.strykerRecord)).join(', ')}; Stryker's reports in ${toPosix(path.join(LAYOUT.cache, 'mutation'))}/.`);
  if (!accounted) {
    console.log('Some survivors are not accounted for: kill each with a check, or list it (with the reason) in solutions/NN-slug/stryker-equivalent.json.');
    process.exitCode = 1;
  }
}

await main();
