/**
 * Turns what became of one check file (a verified report, a time-out, a crash) into its part of
 * an exercise's grade, and joins an exercise's public and hidden parts.
 *
 * A report is graded only when it is whole: every canary planted among its checks failed
 * (checker/shared/canary.ts; vitest's main process counts them and leaves them out of the report)
 * and every check the clean file has (check-titles.ts) is in it. Otherwise the part scores 0 with the
 * reason, whatever the report says.
 * @module
 */
import type { Service } from '../../tooling/course';
import { escapeSaid, serviceLost, UNCAUGHT } from './causes';
import { fullTitle } from './check-titles';
import { locateInSubmission, relativizePaths, shortMessage, traceLines } from './messages';
import type { CanaryFate, CheckFileOutcome, JsonAssertionResult } from './run-checks';

/**
 * passed: every check passed and the code type-checks; error: the checks could not run, or their
 * results cannot be trusted; not-run: the checks skipped themselves, e.g. for want of a message
 * broker (never a pass).
 */
export type ExerciseStatus = 'passed' | 'failed' | 'timed-out' | 'error' | 'not-run';

/** A check that did not pass. */
export interface CheckFailure {
  /** The check's name, e.g. "withRetry › retries a failed call after 100 ms, then 200 ms". */
  check: string;
  /** A short message, without stack. */
  message: string;
  /** Where in the code under test the error came from, e.g. "exercises/08-retry-backoff/retry.ts:12:5". */
  at?: string;
  /** True for a hidden check (solutions/NN-slug/hidden.test.ts, not shipped to students). */
  hidden: boolean;
  /** For a check on netsim: the seed and what crossed the network at the end of the failing run. */
  trace?: string[];
  /** True for a check that could not run: a service it needs went away while the checks ran. */
  notRun?: boolean;
}

/** One check file's part of an exercise's grade. */
export interface GradedPart {
  status: ExerciseStatus;
  passed: number;
  total: number;
  /** What kept the checks from being graded normally. */
  problems: string[];
  /** What else happened while the checks ran, worth knowing but no reason to withhold points (a console flood). */
  notes: string[];
  failures: CheckFailure[];
}

/** What grading one check file's outcome needs to know. */
export interface PartContext {
  exerciseId: string;
  /** The graded folder (absolute): stack frames inside it are where a failure came from. */
  dir: string;
  root: string;
  hidden: boolean;
  /** The titles of the file's checks, from the clean file. */
  titles: string[];
  /** True when other exercises were graded in the same run (a time-out message says so). */
  othersGraded: boolean;
  /** The services the checks need (the record's `requires`): losing one mid-run leaves checks not run. */
  services: Service[];
  /** True when the run chose its checks: `titles` are those chosen, and the others are not graded. */
  chosen?: boolean;
}


/** Said of a check vitest started but never saw end: its process was gone (e.g. `process.reallyExit`). */
const NEVER_FINISHED = 'never finished: the process running the checks ended under it (process.exit, or a crash?)';

const zero = (context: PartContext, status: ExerciseStatus, problem: string): GradedPart => ({
  status,
  passed: 0,
  total: context.titles.length,
  problems: [problem],
  notes: [],
  failures: [],
});

/** Why a report cannot be graded, if it cannot: a canary passed or is missing, or checks are missing. */
function untrusted(checks: JsonAssertionResult[], canaries: CanaryFate, context: PartContext): string | undefined {
  if (canaries.passed > 0) return 'the results of this run were tampered with: a check that must fail passed';
  const reported = new Set(checks.map((check) => fullTitle(check.ancestorTitles, check.title)));
  // Checks that skipped themselves for want of a service run under a "not run: ..." suite title.
  const selfSkipped = checks.length > 0 && checks.every((check) => check.status === 'skipped');
  const missing = selfSkipped ? 0 : context.titles.filter((title) => !reported.has(title)).length;
  const kind = context.hidden ? 'hidden checks' : 'checks';
  if (missing > 0) return `${missing} ${missing === 1 ? kind.replace('checks', 'check') : kind} did not run: the process running them was stopped, or the results were tampered with`;
  if (canaries.planted === 0 || canaries.failed < canaries.planted) {
    return `the ${kind} did not run to their end: the process running them was stopped, or the results were tampered with`;
  }
  return undefined;
}

/** The part of an exercise's grade that one check file's outcome gives. */
export function gradePart(outcome: CheckFileOutcome, context: PartContext): GradedPart {
  const { root } = context;
  if (outcome.kind === 'timed-out') {
    const seconds = Math.round(outcome.limitMs / 100) / 10;
    const others = context.othersGraded ? ' (the other exercises were graded)' : '';
    const where = outcome.check ? ` in the ${context.hidden ? 'hidden check' : 'check'} "${outcome.check}"` : '';
    return zero(context, 'timed-out', `timed out after ${seconds} s${where}: an endless loop, or something that never finishes?${others}`);
  }
  if (outcome.kind === 'crashed') {
    return zero(context, 'error', `the checks of ${context.exerciseId} could not finish: ${relativizePaths(shortMessage(outcome.message), root)}`);
  }
  const { result } = outcome;
  if (result.assertionResults.length === 0 && result.message) {
    return zero(context, 'error', `the checks could not run: ${relativizePaths(shortMessage(result.message), root)}`);
  }
  // A run that chose some checks (GradeOptions.onlyChecks) grades those only: its titles are theirs.
  const chosen = context.chosen && new Set(context.titles);
  const checks = chosen ? result.assertionResults.filter((check) => chosen.has(fullTitle(check.ancestorTitles, check.title))) : result.assertionResults;
  const distrust = untrusted(checks, outcome.canaries, context);
  if (distrust) return zero(context, 'error', distrust);

  const skipped = checks.filter((check) => check.status === 'skipped');
  if (checks.length > 0 && skipped.length === checks.length) {
    // The checks skipped themselves: say why (a suite or check titled "not run: ..." carries the reason).
    const reason = skipped.flatMap((check) => [...check.ancestorTitles, check.title]).find((title) => title.startsWith('not run:')) ?? 'not run: the checks were skipped';
    return zero(context, 'not-run', reason);
  }
  const failures: CheckFailure[] = [];
  for (const check of checks.filter((c) => c.status !== 'passed')) {
    // An error nobody caught (run-setup.ts) is the cause of whatever else the check saw.
    const error = check.failureMessages.find((m) => m.includes(UNCAUGHT)) ?? check.failureMessages[0] ?? result.message;
    const trace = check.failureMessages.slice(0, 1).flatMap(traceLines).map((line) => relativizePaths(line, root));
    failures.push({
      check: [...check.ancestorTitles, check.title].join(' › '),
      message: error ? relativizePaths(escapeSaid(error, context.dir) + shortMessage(error), root) : check.status === 'pending' ? NEVER_FINISHED : 'did not run',
      at: error ? locateInSubmission(error, [context.dir], root) : undefined,
      hidden: context.hidden,
      ...(trace.length > 0 ? { trace } : {}),
    });
  }
  const passed = checks.length - failures.length;
  // A file-level message after checks that ran comes from the run's setup (run-setup.ts): a note.
  const notes = result.message ? [relativizePaths(shortMessage(result.message), root)] : [];
  const lost = serviceLost(failures, context.services);
  if (lost) return { status: 'not-run', passed, total: checks.length, problems: [lost], notes, failures };
  return { status: passed === checks.length && checks.length > 0 ? 'passed' : 'failed', passed, total: checks.length, problems: [], notes, failures };
}

const SEVERITY: ExerciseStatus[] = ['passed', 'failed', 'not-run', 'error', 'timed-out'];

/** One exercise's grade from its public and (when run) hidden check files: the worse status wins. */
export function combineParts(parts: GradedPart[]): GradedPart {
  const status = parts.map((p) => p.status).reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a));
  const problems = [...new Set(parts.flatMap((p) => p.problems))];
  // Both files skipped for want of a service: one reason is enough, the explained one.
  const reasons = problems.filter((p) => p.startsWith('not run:'));
  return {
    status,
    passed: parts.reduce((n, p) => n + p.passed, 0),
    total: parts.reduce((n, p) => n + p.total, 0),
    problems: status === 'not-run' && reasons.length > 1 ? reasons.filter((p) => p !== 'not run: the checks were skipped').slice(0, 1) : problems,
    notes: [...new Set(parts.flatMap((p) => p.notes))],
    failures: parts.flatMap((p) => p.failures),
  };
}
