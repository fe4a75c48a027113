/**
 * Grades exercises: type-checks the code under test and runs the checks against it (both in
 * separate processes, at the same time), then scores each exercise. The checks are the public ones
 * (checker/checks) and, in the instructor's copy, the hidden ones (checker/hidden): a student
 * release has only the public ones.
 *
 * The score comes only from vitest's JSON report (see run-checks.ts), never from an exit code or
 * from what the code under test prints.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findExercise, findRoot, LAYOUT, loadExercises, type Exercise } from '../../tooling/course';
import { toPosix } from '../../tooling/system';
import { locateInSubmission, relativizePaths, shortMessage } from './messages';
import { runChecks, type CheckFileOutcome } from './run-checks';
import { typeCheck, type TypeProblem } from './type-check';

/** A check that did not pass. */
export interface CheckFailure {
  /** The check's name, e.g. "retries a failed call after 100 ms, then 200 ms". */
  check: string;
  /** A short message, without stack. */
  message: string;
  /** Where in the code under test the error came from, e.g. "exercises/08-retry-backoff/retry.ts:12:5". */
  at?: string;
  /** True for a hidden check (checker/hidden, not shipped to students). */
  hidden: boolean;
}

/**
 * passed: every check passed and the code type-checks; error: the checks could not run;
 * not-run: the checks skipped themselves, e.g. for want of a message broker (never a pass).
 */
export type ExerciseStatus = 'passed' | 'failed' | 'timed-out' | 'error' | 'not-run';

/** The grade of one exercise. */
export interface ExerciseResult {
  id: string;
  title: string;
  /** The folder that was graded, relative to the root. */
  submission: string;
  status: ExerciseStatus;
  passed: number;
  total: number;
  /** How many of the checks are public (checker/checks) and hidden (checker/hidden); passed of each. */
  checks: { public: CheckCount; hidden: CheckCount };
  points: number;
  maxPoints: number;
  /** What kept the exercise from being graded normally: a time-out, a crash, type errors. */
  problems: string[];
  failures: CheckFailure[];
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
  /** Type-check the code under test. Default true. */
  typeCheck?: boolean;
  /** Run the hidden checks too, where they exist (checker/hidden). Default true. */
  hidden?: boolean;
}

export const DEFAULT_TIME_LIMIT_MS = 10_000;

/** Said of a check vitest started but never saw end: its process was gone (e.g. `process.reallyExit`). */
const NEVER_FINISHED = 'never finished: the process running the checks ended under it (process.exit, or a crash?)';

/** The TypeScript files of a submission that its record names (tsc follows their local imports). */
function codeFiles(exercise: Exercise, dir: string): string[] {
  return exercise.files.filter((name) => name.endsWith('.ts')).map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
}

function describeTypeProblem(problem: TypeProblem): string {
  const where = problem.file ? `${problem.file}:${problem.line}:${problem.column}` : 'tsc';
  return `${where} ${problem.code}: ${problem.message.split('\n')[0]}`;
}

type Graded = Pick<ExerciseResult, 'passed' | 'total' | 'problems' | 'failures' | 'status'>;

function fromOutcome(outcome: CheckFileOutcome, exercise: Exercise, dir: string, root: string, hidden: boolean): Graded {
  if (outcome.kind === 'timed-out') {
    const seconds = Math.round(outcome.limitMs / 100) / 10;
    return {
      status: 'timed-out',
      passed: 0,
      total: outcome.checkCount ?? 0,
      problems: [`timed out after ${seconds} s: an endless loop, or something that never finishes? (the other exercises were graded)`],
      failures: [],
    };
  }
  if (outcome.kind === 'crashed') {
    return {
      status: 'error',
      passed: 0,
      total: outcome.checkCount ?? 0,
      problems: [`the checks of ${exercise.id} could not finish: ${relativizePaths(shortMessage(outcome.message), root)}`],
      failures: [],
    };
  }
  const { result } = outcome;
  const failures: CheckFailure[] = [];
  let passed = 0;
  for (const check of result.assertionResults) {
    if (check.status === 'passed') {
      passed++;
      continue;
    }
    const error = check.failureMessages[0] ?? result.message;
    failures.push({
      check: [...check.ancestorTitles, check.title].join(' › '),
      message: error ? relativizePaths(shortMessage(error), root) : check.status === 'pending' ? NEVER_FINISHED : 'did not run',
      at: error ? locateInSubmission(error, [dir], root) : undefined,
      hidden,
    });
  }
  const problems = result.assertionResults.length === 0 && result.message ? [`the checks could not run: ${relativizePaths(shortMessage(result.message), root)}`] : [];
  const total = result.assertionResults.length;
  const skipped = result.assertionResults.filter((check) => check.status === 'skipped');
  if (problems.length === 0 && total > 0 && skipped.length === total) {
    // The checks skipped themselves: say why (a suite or check titled "not run: ..." carries the reason).
    const reason =
      skipped.flatMap((check) => [...check.ancestorTitles, check.title]).find((title) => title.startsWith('not run:')) ??
      'not run: the checks were skipped';
    return { status: 'not-run', passed: 0, total, problems: [reason], failures: [] };
  }
  const status: ExerciseStatus = problems.length > 0 ? 'error' : passed === total && total > 0 ? 'passed' : 'failed';
  return { status, passed, total, problems, failures };
}

const SEVERITY: ExerciseStatus[] = ['passed', 'failed', 'not-run', 'error', 'timed-out'];

/** One exercise's grade from its public and (when run) hidden check files: the worse status wins. */
function combine(parts: Graded[]): Graded {
  const status = parts.map((p) => p.status).reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a));
  const problems = [...new Set(parts.flatMap((p) => p.problems))];
  // Both files skipped for want of a service: one reason is enough, the explained one.
  const reasons = problems.filter((p) => p.startsWith('not run:'));
  return {
    status,
    passed: parts.reduce((n, p) => n + p.passed, 0),
    total: parts.reduce((n, p) => n + p.total, 0),
    problems: status === 'not-run' && reasons.length > 1 ? reasons.filter((p) => p !== 'not run: the checks were skipped').slice(0, 1) : problems,
    failures: parts.flatMap((p) => p.failures),
  };
}

/** The folder graded for `exercise` (absolute). */
export function submissionDir(root: string, exercise: Exercise, options: Pick<GradeOptions, 'dir' | 'submissions'>): string {
  return path.resolve(root, options.submissions?.[exercise.id] ?? path.join(options.dir ?? LAYOUT.exercises, exercise.id));
}

/** Grades the chosen exercises; see {@link GradeOptions}. */
export async function grade(options: GradeOptions = {}): Promise<GradeReport> {
  const root = options.root ?? findRoot(__dirname);
  const all = loadExercises(root);
  const exercises = options.exercises?.length ? [...new Set(options.exercises.map((q) => findExercise(all, q)))] : all;
  const dirOf = (e: Exercise) => submissionDir(root, e, options);

  const gradable = exercises.filter((e) => fs.existsSync(dirOf(e)) && fs.existsSync(path.join(root, e.checks)));
  // The instructor's master copy has hidden checks; a student release has none.
  const withHidden = options.hidden !== false && all.some((e) => fs.existsSync(path.join(root, e.hiddenChecks)));
  const hiddenOf = (e: Exercise) => (withHidden && fs.existsSync(path.join(root, e.hiddenChecks)) ? toPosix(e.hiddenChecks) : undefined);
  const checkFiles: Record<string, string> = {};
  for (const e of gradable) {
    checkFiles[e.id] = toPosix(e.checks);
    const hidden = hiddenOf(e);
    if (hidden) checkFiles[`${e.id}:hidden`] = hidden;
  }
  const checking = gradable.length
    ? runChecks({
        root,
        submissions: Object.fromEntries(gradable.map((e) => [e.id, dirOf(e)])),
        defaultDir: options.dir ?? LAYOUT.exercises,
        checkFiles,
        timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
        checkTimeoutMs: options.checkTimeoutMs,
        repeats: options.repeats,
      })
    : Promise.resolve(new Map<string, CheckFileOutcome>());
  const typing =
    options.typeCheck === false || gradable.length === 0
      ? Promise.resolve(new Map<string, TypeProblem[]>())
      : typeCheck(root, Object.fromEntries(gradable.map((e) => [e.id, codeFiles(e, dirOf(e))])));
  const [outcomes, typeProblems] = await Promise.all([checking, typing]);

  const results = exercises.map((exercise): ExerciseResult => {
    const dir = dirOf(exercise);
    const base = { id: exercise.id, title: exercise.title, submission: toPosix(path.relative(root, dir)), maxPoints: exercise.points };
    const outcome = outcomes.get(exercise.id);
    if (!outcome) {
      const missing = fs.existsSync(dir) ? exercise.checks : path.relative(root, dir);
      const none = { passed: 0, total: 0 };
      return { ...base, status: 'error', passed: 0, total: 0, checks: { public: none, hidden: none }, points: 0, problems: [`${toPosix(missing)} does not exist`], failures: [] };
    }
    const publicPart = fromOutcome(outcome, exercise, dir, root, false);
    const hiddenOutcome = outcomes.get(`${exercise.id}:hidden`);
    const hiddenPart = hiddenOutcome ? fromOutcome(hiddenOutcome, exercise, dir, root, true) : undefined;
    const checks = {
      public: { passed: publicPart.passed, total: publicPart.total },
      hidden: { passed: hiddenPart?.passed ?? 0, total: hiddenPart?.total ?? 0 },
    };
    const graded = combine(hiddenPart ? [publicPart, hiddenPart] : [publicPart]);
    const typeErrors = typeProblems.get(exercise.id) ?? [];
    if (typeErrors.length > 0) {
      graded.problems.unshift(`does not type-check (no points until it does):\n${typeErrors.slice(0, 5).map(describeTypeProblem).join('\n')}`);
      if (graded.status === 'passed') graded.status = 'failed';
    }
    const scored = graded.status !== 'timed-out' && typeErrors.length === 0 && graded.total > 0;
    const points = graded.status === 'passed' ? exercise.points : scored ? Math.floor((exercise.points * graded.passed) / graded.total) : 0;
    return { ...base, ...graded, checks, points };
  });

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
