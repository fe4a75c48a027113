/**
 * Grades exercises: checks the submitted code against the rules every submission follows
 * (code-rules.ts), type-checks it and runs the checks against it (in separate processes, at the
 * same time), then scores each exercise. The checks are the public ones (exercises/NN-slug/checks.test.ts) and, in
 * the instructor's copy, the hidden ones (solutions/NN-slug/hidden.test.ts): a student release has only the public
 * ones.
 *
 * The score comes only from vitest's JSON report (see run-checks.ts), never from an exit code or
 * from what the code under test prints, and only from a whole report (see outcome.ts).
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findExercise, findRoot, LAYOUT, loadExercises, type Exercise } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { checkTitles } from './check-titles';
import { itemCoverage, readmeItems, type ItemCoverage } from './readme-items';
import { checkCodeRules, type RuleBreak } from './code-rules';
import { missingExports } from './exports';
import { noteFirstFailures } from './hints';
import { combineParts, gradePart, type CheckFailure, type ExerciseStatus, type GradedPart } from './outcome';
import { childEnv, runChecks, type CheckFileOutcome } from './run-checks';
import { cachedTypeChecks, typeCheck, type TypeCheck } from './type-check';
import { clearTraces, traceDirOf } from './trace-dirs';
import { isTypeErrorProblem, typeErrorProblem } from './type-errors';

export type { CheckFailure, ExerciseStatus };

/** The grade of one exercise. */
export interface ExerciseResult {
  id: string;
  title: string;
  /** The lesson it practises (a lesson id). */
  lesson: string;
  /** The exercises whose code its checks run too. */
  uses: string[];
  /** The folder that was graded, relative to the root. */
  submission: string;
  status: ExerciseStatus;
  passed: number;
  total: number;
  /** How many of the checks are public (exercises/NN-slug/checks.test.ts) and hidden (solutions/NN-slug/hidden.test.ts); passed of each. */
  checks: { public: CheckCount; hidden: CheckCount };
  points: number;
  maxPoints: number;
  /** What kept the exercise from being graded normally: a time-out, a crash, type errors. */
  problems: string[];
  /** What else is worth knowing, with no effect on the points: a console flood. */
  notes: string[];
  failures: CheckFailure[];
  /** The numbered items of its README, each with the checks that cover it. */
  items: ItemCoverage[];
}

/** Checks passed out of a total. */
export interface CheckCount {
  passed: number;
  total: number;
}

/** The grade of a whole run. */
export interface GradeReport {
  /**
   * True when the hidden checks were run too (the instructor's copy); false in a student release,
   * whose final grade will also use hidden checks.
   */
  hiddenChecks: boolean;
  exercises: ExerciseResult[];
  passed: number;
  total: number;
  points: number;
  maxPoints: number;
  /** True when every graded exercise passed. */
  ok: boolean;
}

/** Options of {@link grade}. */
export interface GradeOptions {
  /** The repository root; default: the one this file belongs to. */
  root?: string;
  /** Exercises to grade, by number, slug or id; default all. */
  exercises?: string[];
  /** Folder holding the `NN-slug/` folders to grade, relative to the root. Default: the starters' folder. */
  dir?: string;
  /** Exercise id → folder to grade for that exercise, overriding `dir`. */
  submissions?: Record<string, string>;
  /** Wall time the checks of one exercise may take. Default 10 s. */
  timeLimitMs?: number;
  /** Time one check may wait for a promise. Default 5 s. */
  checkTimeoutMs?: number;
  /** Run every check this many extra times. Default 0. */
  repeats?: number;
  /** Write the netsim diagram of every check that runs on netsim, passing ones too (failing ones always). Default false. */
  trace?: boolean;
  /**
   * Run the submission's code in a process of its own (see checker/isolate/); default: in the checks' process.
   * `sandbox` (the gradebook's way) also keeps the diagrams of failed runs out of the submission's folder (trace-dirs.ts).
   */
  isolate?: 'process' | 'sandbox';
  /** Type-check the code under test. Default true. */
  typeCheck?: boolean;
  /**
   * Keep vitest and the type-checker warm between gradings of this process, for re-grades after a
   * save (`--watch`, the notebook's `grade()`); a warm grading grades exactly as a cold one, and a
   * process runs one at a time. Default false: each grading starts them afresh (`npm run grade`,
   * the gradebook).
   */
  warm?: boolean;
  /**
   * Run the hidden checks too, where they exist (solutions/NN-slug/hidden.test.ts): for every exercise graded (true,
   * the default), for none (false), or for the exercises listed (the mutant proofs grade each mutant with the file of
   * the check that must catch it).
   */
  hidden?: boolean | string[];
  /**
   * Run only these checks, by full title as failures name them (`describe › check`); the others are skipped and
   * left out of the grade. For the mutant proofs: a mutant needs only the check that must catch it.
   */
  onlyChecks?: string[];
}

export const DEFAULT_TIME_LIMIT_MS = 10_000;

/** The TypeScript files of a submission that its record names (tsc follows their local imports). */
function codeFiles(exercise: Exercise, dir: string): string[] {
  return exercise.files.filter((name) => name.endsWith('.ts')).map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
}

/** Why an exercise's code is not run at all: it lacks an export the checks need, it breaks the rules, or one it uses does. */
function refusals(gradable: Exercise[], breaks: Map<string, RuleBreak[]>, missing: Map<string, string[]>): Map<string, string> {
  const refused = new Map<string, string>();
  for (const [id, found] of breaks) {
    if (found.length === 0) continue;
    const shown = found.slice(0, 5).map((b) => `${b.at} ${b.message}`);
    if (found.length > 5) shown.push(`... and ${found.length - 5} more`);
    refused.set(id, `refused, not run (no points until it follows the rules in its README, "What your code may use"):\n${shown.join('\n')}`);
  }
  for (const [id, lacks] of missing) if (lacks.length > 0 && !refused.has(id)) refused.set(id, `not run: ${lacks.join('; ')}`);
  for (const exercise of gradable) {
    const broken = exercise.uses.find((id) => breaks.get(id)?.length);
    if (broken && !refused.has(exercise.id)) refused.set(exercise.id, `not run: its checks also run the code of exercise ${broken}, which breaks the rules (see ${broken})`);
  }
  return refused;
}

/** The folder graded for `exercise` (absolute). */
export function submissionDir(root: string, exercise: Exercise, options: Pick<GradeOptions, 'dir' | 'submissions'>): string {
  return path.resolve(root, options.submissions?.[exercise.id] ?? path.join(options.dir ?? LAYOUT.exercises, exercise.id));
}

/** The points an exercise earns: all for a pass, a share of its checks while it fails, none when it could not be trusted or run. */
function pointsFor(exercise: Exercise, graded: GradedPart): number {
  if (graded.status === 'passed') return exercise.points;
  if (graded.status !== 'failed' || graded.total === 0) return 0;
  return Math.floor((exercise.points * graded.passed) / graded.total);
}

/** For `npm run hint`: the first check each exercise failed, whose README item the next hint is for. A convenience: a read-only workbook goes without. */
function rememberFirstFailures(root: string, results: ExerciseResult[]): void {
  try {
    noteFirstFailures(root, Object.fromEntries(results.map((r) => [r.id, r.failures.find((f) => !f.notRun)?.check])));
  } catch {
    // the hints then come in their order
  }
}

/** Grades the chosen exercises; see {@link GradeOptions}. */
export async function grade(options: GradeOptions = {}): Promise<GradeReport> {
  const root = options.root ?? findRoot(__dirname);
  const all = loadExercises(root);
  const exercises = options.exercises?.length ? [...new Set(options.exercises.map((q) => findExercise(all, q)))] : all;
  const dirOf = (e: Exercise) => submissionDir(root, e, options);

  const present = exercises.filter((e) => fs.existsSync(dirOf(e)) && fs.existsSync(path.join(root, e.checks)));
  // The instructor's master copy has hidden checks; a student release has none.
  const withHidden = options.hidden !== false && all.some((e) => fs.existsSync(path.join(root, e.hiddenChecks)));
  const hiddenFor = (e: Exercise) => withHidden && (!Array.isArray(options.hidden) || options.hidden.includes(e.id)) && fs.existsSync(path.join(root, e.hiddenChecks));
  const filesOf = (e: Exercise) => [toPosix(e.checks), ...(hiddenFor(e) ? [toPosix(e.hiddenChecks)] : [])];
  const listed = present.length ? await checkTitles(root, present.flatMap(filesOf), childEnv()) : new Map<string, string[]>();
  // Titles as check-titles.ts writes them, the describe blocks joined by " > ".
  const only = options.onlyChecks && new Set(options.onlyChecks.map((title) => title.split(' › ').join(' > ')));
  const titles = only ? new Map([...listed].map(([file, names]) => [file, names.filter((name) => only.has(name))])) : listed;
  /** A check file none of whose checks was chosen: not run, and nothing to grade. */
  const unchosen = (file: string) => only !== undefined && !titles.get(file)?.length;

  // Code that breaks the rules never runs, nor do the checks that would run it.
  const dirOfId = (id: string) => {
    const used = all.find((e) => e.id === id);
    return used ? dirOf(used) : undefined;
  };
  const breaks = new Map(present.map((e) => [e.id, checkCodeRules(root, { exercise: e, dir: dirOf(e) }, dirOfId)]));
  const refused = refusals(present, breaks, new Map(present.map((e) => [e.id, missingExports(e, dirOf(e))])));
  const gradable = present.filter((e) => !refused.has(e.id));

  // Code known not to type-check (its verdict is in the cache) is not run. Other code is type-checked
  // while its checks run, to keep grading fast; if it does not type-check, their results are dropped unseen.
  const typeGroups = Object.fromEntries(gradable.filter((e) => codeFiles(e, dirOf(e)).length > 0).map((e) => [e.id, codeFiles(e, dirOf(e))]));
  const known = options.typeCheck === false ? new Map<string, TypeCheck>() : cachedTypeChecks(root, typeGroups);
  const runnable = gradable.filter((e) => !known.get(e.id)?.problems.length);
  const checkFiles: Record<string, string> = {};
  for (const e of runnable) {
    const [publicFile, hiddenFile] = filesOf(e);
    if (!unchosen(publicFile)) checkFiles[e.id] = publicFile;
    if (hiddenFile && !unchosen(hiddenFile)) checkFiles[`${e.id}:hidden`] = hiddenFile;
  }
  // The diagrams of this run's network checks; those of earlier runs of these exercises go.
  const traceDirs = Object.fromEntries(gradable.map((e) => [e.id, traceDirOf(root, e.id, dirOf(e), options.isolate)]));
  for (const dir of Object.values(traceDirs)) clearTraces(dir);
  const checking = Object.keys(checkFiles).length
    ? runChecks({
        root,
        submissions: Object.fromEntries(runnable.map((e) => [e.id, dirOf(e)])),
        defaultDir: options.dir ?? LAYOUT.exercises,
        checkFiles,
        timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
        fileTimeLimitsMs: Object.fromEntries(
          runnable.flatMap((e) => filesOf(e).map((file): [string, number] => [file, (e.timeLimitSeconds ?? 0) * 1000])),
        ),
        checkTimeoutMs: options.checkTimeoutMs,
        isolate: options.isolate,
        repeats: options.repeats,
        traces: { dirs: traceDirs, all: options.trace ?? false },
        onlyChecks: only && [...only],
        warm: options.warm,
      })
    : Promise.resolve(new Map<string, CheckFileOutcome>());
  const typing = options.typeCheck === false || gradable.length === 0 ? Promise.resolve(new Map<string, TypeCheck>()) : typeCheck(root, typeGroups, { warm: options.warm });
  const [outcomes, typeChecks] = await Promise.all([checking, typing]);

  const scored = exercises.map((exercise): Omit<ExerciseResult, 'items'> => {
    const dir = dirOf(exercise);
    const base = { id: exercise.id, title: exercise.title, lesson: exercise.lesson, uses: exercise.uses, submission: toPosix(path.relative(root, dir)), maxPoints: exercise.points };
    const [publicFile, hiddenFile] = filesOf(exercise);
    const count = (file: string | undefined) => ({ passed: 0, total: file ? (titles.get(file)?.length ?? 0) : 0 });
    const notGraded = (problem: string): Omit<ExerciseResult, 'items'> => {
      const checks = { public: count(publicFile), hidden: count(hiddenFile) };
      return { ...base, status: 'error', passed: 0, total: checks.public.total + checks.hidden.total, checks, points: 0, problems: [problem], notes: [], failures: [] };
    };
    if (!present.includes(exercise)) return notGraded(`${toPosix(fs.existsSync(dir) ? exercise.checks : path.relative(root, dir))} does not exist`);
    const refusal = refused.get(exercise.id);
    if (refusal) return notGraded(refusal);
    // Code that does not type-check gets no check results: one cause, said once, not a failure per check.
    const typeErrors = typeChecks.get(exercise.id)?.problems ?? [];
    if (typeErrors.length > 0) return { ...notGraded(typeErrorProblem(typeErrors)), status: 'failed' };

    const part = (key: string, file: string, hidden: boolean): GradedPart => {
      if (unchosen(file)) return { status: 'passed', passed: 0, total: 0, problems: [], notes: [], failures: [] };
      const outcome = outcomes.get(key) as CheckFileOutcome;
      return gradePart(outcome, { exerciseId: exercise.id, dir, root, hidden, titles: titles.get(file) ?? [], othersGraded: gradable.length > 1, services: exercise.requires, chosen: only !== undefined });
    };
    const publicPart = part(exercise.id, publicFile, false);
    const hiddenPart = hiddenFile ? part(`${exercise.id}:hidden`, hiddenFile, true) : undefined;
    const checks = {
      public: { passed: publicPart.passed, total: publicPart.total },
      hidden: { passed: hiddenPart?.passed ?? 0, total: hiddenPart?.total ?? 0 },
    };
    const graded = combineParts(hiddenPart ? [publicPart, hiddenPart] : [publicPart]);
    const typing = typeChecks.get(exercise.id);
    if (typing?.unfinished) {
      graded.problems.unshift(`the type-check did not finish (${typing.unfinished}): no points until it does`);
      if (graded.status === 'passed' || graded.status === 'failed') graded.status = 'error';
    }
    return { ...base, ...graded, checks, points: pointsFor(exercise, graded) };
  });

  // Each README item with its checks: what is checked now, and what only the final grade checks.
  const results = scored.map((result, i): ExerciseResult => {
    const exercise = exercises[i];
    const [publicFile, hiddenFile] = filesOf(exercise);
    const readme = path.join(root, exercise.readme);
    const items = fs.existsSync(readme) ? readmeItems(fs.readFileSync(readme, 'utf8')) : [];
    const ran = gradable.includes(exercise) && !result.problems.some(isTypeErrorProblem);
    const notRun = result.failures.filter((f) => f.notRun).map((f) => f.check);
    return { ...result, items: itemCoverage(items, titles.get(publicFile) ?? [], hiddenFile ? (titles.get(hiddenFile) ?? []) : [], result.failures, ran, notRun) };
  });
  rememberFirstFailures(root, results);
  const sum = (pick: (r: ExerciseResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    hiddenChecks: withHidden,
    exercises: results,
    passed: sum((r) => r.passed),
    total: sum((r) => r.total),
    points: sum((r) => r.points),
    maxPoints: sum((r) => r.maxPoints),
    ok: results.length > 0 && results.every((r) => r.status === 'passed'),
  };
}
