/**
 * The settings the grader passes to the vitest process that runs the checks, through its
 * environment: their names and types in one place. The grader (run-checks.ts, check-titles.ts),
 * the instructor's tools (the gradebook, Stryker, the benchmarks) write them with
 * {@link checksEnv}; the checks' config (vitest.checks.mts), its setup files and the check files'
 * netsim trace read them with {@link readChecksEnv}.
 * @module
 */

/** What a run of the checks is told. Every setting is optional; the defaults are the reader's. */
export interface ChecksSettings {
  /** A folder holding `NN-slug/` folders, the code graded (default `exercises`). */
  submissionDir?: string;
  /** A folder per exercise (`NN-slug` → folder), overriding {@link submissionDir} for that exercise. */
  submissions?: Record<string, string>;
  /** A grading run: where vitest's JSON report goes (see grading-reporter.ts); the canaries are planted only then. */
  reportFile?: string;
  /** How long one check may wait for a promise, in ms (default 5000). */
  testTimeoutMs?: number;
  /** Run every check this many extra times (a stability run). */
  repeats?: number;
  /**
   * Where checks on netsim write the diagrams of their runs, a folder per exercise (`NN-slug` →
   * folder; an exercise not named gets none): of failures only, or of every run.
   */
  traces?: { dirs: Record<string, string>; all: boolean };
  /** Check files run at once (default one per core): the gradebook shares the cores between submissions. */
  maxWorkers?: number;
  /** Run the submission's code in a process of its own, apart from the checks (see checker/isolate/); in a sandbox of its own when the checks run in one. */
  isolate?: 'process' | 'sandbox';
  /** Run only these checks, by full title (`describe > check`); the others are skipped, and left out of the grade (the mutant proofs, see grade.ts). */
  onlyChecks?: string[];
}

/** The environment variable of each setting. */
const VARIABLES = {
  submissionDir: 'CHECKS_SUBMISSION_DIR',
  submissions: 'CHECKS_SUBMISSIONS',
  reportFile: 'CHECKS_REPORT_FILE',
  testTimeoutMs: 'CHECKS_TEST_TIMEOUT_MS',
  repeats: 'CHECKS_REPEATS',
  traceDirs: 'CHECKS_TRACE_DIRS',
  trace: 'CHECKS_TRACE',
  maxWorkers: 'GRADE_MAX_WORKERS',
  isolate: 'CHECKS_ISOLATE',
  onlyChecks: 'CHECKS_ONLY',
} as const;

/** The environment variables that carry `settings` (only those given). */
export function checksEnv(settings: ChecksSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (name: keyof typeof VARIABLES, value: string | number | undefined) => {
    if (value !== undefined) env[VARIABLES[name]] = String(value);
  };
  set('submissionDir', settings.submissionDir);
  set('submissions', settings.submissions && JSON.stringify(settings.submissions));
  set('reportFile', settings.reportFile);
  set('testTimeoutMs', settings.testTimeoutMs);
  set('repeats', settings.repeats);
  set('traceDirs', settings.traces && JSON.stringify(settings.traces.dirs));
  set('trace', settings.traces && (settings.traces.all ? 'all' : 'failures'));
  set('maxWorkers', settings.maxWorkers);
  set('isolate', settings.isolate);
  set('onlyChecks', settings.onlyChecks && JSON.stringify(settings.onlyChecks));
  return env;
}

/** A whole number from a variable, or undefined when it is unset or not one. */
function wholeNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The settings in `env` (default this process's environment). */
export function readChecksEnv(env: NodeJS.ProcessEnv = process.env): ChecksSettings {
  const traceDirs = env[VARIABLES.traceDirs];
  const submissions = env[VARIABLES.submissions];
  const isolation = env[VARIABLES.isolate];
  const onlyChecks = env[VARIABLES.onlyChecks];
  return {
    submissionDir: env[VARIABLES.submissionDir] || undefined,
    submissions: submissions ? (JSON.parse(submissions) as Record<string, string>) : undefined,
    reportFile: env[VARIABLES.reportFile] || undefined,
    testTimeoutMs: wholeNumber(env[VARIABLES.testTimeoutMs]),
    repeats: wholeNumber(env[VARIABLES.repeats]),
    traces: traceDirs ? { dirs: JSON.parse(traceDirs) as Record<string, string>, all: env[VARIABLES.trace] === 'all' } : undefined,
    maxWorkers: wholeNumber(env[VARIABLES.maxWorkers]) || undefined,
    isolate: isolation === 'process' || isolation === 'sandbox' ? isolation : undefined,
    onlyChecks: onlyChecks ? (JSON.parse(onlyChecks) as string[]) : undefined,
  };
}
