/**
 * Grades a whole class: every submission folder (a student release with the student's changes)
 * against this copy's public and hidden checks, several at a time, each in a sandbox of its own
 * (grade-submission.ts, sandbox.ts). Only each student's exercise code is graded; a submission
 * that loops, crashes, deletes, tampers or attacks the grader harms only its own row.
 *
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRoot, loadExercises, type Exercise } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { cores, mapLimit } from '../../tooling/processes';
import { checkTitles } from '../grade/check-titles';
import { DEFAULT_TIME_LIMIT_MS, type ExerciseStatus } from '../grade/grade';
import { childEnv } from '../grade/run-checks';
import { problemText, secretTexts, submissionText } from './feedback-text';
import { gradeSubmission, type SubmissionOutcome } from './grade-submission';
import { removeStaleAccounts } from './service-accounts';
import { makeTrustedPrograms } from './sandbox';

/** One exercise of one student. */
export interface ExerciseGrade {
  points: number;
  maxPoints: number;
  status: ExerciseStatus | 'missing';
  passed: number;
  total: number;
  /** What kept the exercise from being graded normally (time-out, crash, type errors). */
  problems: string[];
  /** The checks that failed, by name; hidden ones marked. */
  failed: { check: string; hidden: boolean }[];
  /** The message more than half of the failed checks failed with, when there is one (e.g. the code did not load). */
  reason?: string;
  /** Present when only most of them, not all, failed with {@link reason}. */
  reasonOf?: 'most';
}

/** One row of the gradebook. */
export interface StudentGrade {
  /** The submission's folder name. */
  student: string;
  exercises: Record<string, ExerciseGrade>;
  points: number;
  maxPoints: number;
  timedOut: string[];
  crashed: string[];
  /** Exercises whose folder the submission does not have. */
  missing: string[];
}

/** Options of {@link gradeClass}. */
export interface GradeClassOptions {
  /** Folder with one submission folder per student. */
  submissionsDir: string;
  /** Grade only these submissions (folder names); default all. */
  students?: string[];
  /** The repository whose checks grade (default: this one). */
  root?: string;
  /** Exercises to grade (ids); default all. */
  exercises?: string[];
  /** Submissions graded at once; default the number of cores. */
  jobs?: number;
  /** Grade each submission in a bubblewrap sandbox (default true; see sandbox.ts). */
  sandbox?: boolean;
  /** Wall time the checks of one exercise may take. Default 10 s. */
  timeLimitMs?: number;
  /** Wall time one whole submission may take before its grading is stopped. Default: 30 s per check file graded, at least 5 min. */
  submissionLimitMs?: number;
  /** Memory one submission's processes may hold together, in MB. Default 4096. */
  memoryMb?: number;
  /** Called when a submission is done. */
  onGraded?: (grade: StudentGrade, done: number, count: number) => void;
}

/**
 * How long one whole submission may take by default: 30 s for each check file graded (public and
 * hidden), and at least 5 minutes. Every check file has its own, shorter limit; this one stops a
 * grading that hangs as a whole. It grows with the exercises: the reference solutions of all 20
 * take about 270 s in a class graded two at a time on two cores (`npm run bench:gradebook`), about
 * 7 s per file, and a flat 5 minutes stopped them on a busy machine.
 */
const defaultSubmissionLimitMs = (exercises: Exercise[]) => Math.max(5 * 60_000, exercises.length * 2 * 30_000);
const DEFAULT_MEMORY_MB = 4096;

/** The submission folders in `dir`, sorted by name (hidden folders left out). */
export function listSubmissions(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

/** What the gradebook knows of one submission, besides the grader's report. */
interface RowContext {
  /** Exercises whose folder the submission lacks. */
  missing: string[];
  /** Exercise id → why its folder was refused. */
  refused: Record<string, string>;
  /** Where the submission was graded (its paths read as the student's own). */
  workspace: string;
  /** The master copy and the submission's folder: paths of the host that feedback never shows. */
  hostPaths: string[];
  secrets: string[];
}

/** The row of a student from the grader's report; paths in a workspace read as the student's own, paths of the host not at all. */
function toRow(student: string, exercises: Exercise[], result: SubmissionOutcome, context: RowContext): StudentGrade {
  const { missing, refused, workspace, secrets } = context;
  const hostPaths = context.hostPaths.flatMap((p) => [p, toPosix(p)]).filter((p) => p.length > 1).sort((a, b) => b.length - a.length);
  const hideHost = (text: string) => hostPaths.reduce((out, host) => out.split(host).join('<host>'), text);
  const clean = (text: string) => hideHost(workspace ? text.split(`${toPosix(workspace)}/`).join('').split(`${path.basename(workspace)}/`).join('exercises/') : text);
  const grades: Record<string, ExerciseGrade> = {};
  for (const exercise of exercises) {
    const base = { maxPoints: exercise.points, points: 0, passed: 0, total: 0, failed: [] };
    if (missing.includes(exercise.id)) {
      grades[exercise.id] = { ...base, status: 'missing', problems: [`${toPosix(exercise.dir)}/ is missing from the submission`] };
      continue;
    }
    if (refused[exercise.id]) {
      grades[exercise.id] = { ...base, status: 'error', problems: [problemText(hideHost(refused[exercise.id]), secrets)] };
      continue;
    }
    const graded = typeof result === 'string' ? undefined : result.exercises.find((e) => e.id === exercise.id);
    if (!graded) {
      grades[exercise.id] = { ...base, status: 'error', problems: [problemText(clean(typeof result === 'string' ? result : 'not graded'), secrets)] };
      continue;
    }
    // The message most failures share says why in plain words (a property check words the same
    // cause its own way, with its smallest failing case); other messages are left out (they may
    // hold ports or timings, and the gradebook must come out the same every time).
    const tally = new Map<string, number>();
    for (const failure of graded.failures) tally.set(failure.message, (tally.get(failure.message) ?? 0) + 1);
    const [shared, sharedBy] = [...tally].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0] ?? ['', 0];
    const reason = sharedBy >= 2 && sharedBy * 2 > graded.failures.length ? { reason: submissionText(clean(shared), secrets), ...(sharedBy < graded.failures.length ? { reasonOf: 'most' as const } : {}) } : {};
    grades[exercise.id] = {
      ...reason,
      points: graded.points,
      maxPoints: graded.maxPoints,
      status: graded.status,
      passed: graded.passed,
      total: graded.total,
      problems: graded.problems.map((problem) => problemText(clean(problem), secrets)),
      failed: graded.failures.map((f) => ({ check: f.check, hidden: f.hidden })),
    };
  }
  const ids = Object.keys(grades);
  return {
    student,
    exercises: grades,
    points: ids.reduce((sum, id) => sum + grades[id].points, 0),
    maxPoints: ids.reduce((sum, id) => sum + grades[id].maxPoints, 0),
    timedOut: ids.filter((id) => grades[id].status === 'timed-out'),
    crashed: ids.filter((id) => grades[id].status === 'error'),
    missing,
  };
}

/**
 * Grades the submissions in `options.submissionsDir`, several at a time.
 * @returns one row per student, sorted by name
 */
export async function gradeClass(options: GradeClassOptions): Promise<StudentGrade[]> {
  const master = options.root ?? findRoot(__dirname);
  const all = loadExercises(master);
  const graded = options.exercises?.length ? all.filter((e) => options.exercises?.includes(e.id)) : all;
  const students = options.students ?? listSubmissions(options.submissionsDir);
  const jobs = Math.max(1, Math.min(options.jobs ?? cores(), cores(), students.length || 1));
  // Listed once here, in the master copy: every grading reads the same titles.
  await checkTitles(master, [], childEnv());
  const secrets = secretTexts(master, all);
  const sandbox = options.sandbox ?? true;
  // Execute-only copies of node and esbuild, shared by every sandbox of this run (sandbox.ts).
  const trustedDir = path.join(os.tmpdir(), `gradebook-${process.pid}-programs`);
  const grading = {
    master,
    exercises: all,
    graded,
    sandbox,
    trusted: sandbox ? makeTrustedPrograms(master, trustedDir) : [],
    timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    limitMs: options.submissionLimitMs ?? defaultSubmissionLimitMs(graded),
    memoryBytes: (options.memoryMb ?? DEFAULT_MEMORY_MB) * 2 ** 20,
    // Each grading runs its check files in parallel too: share the cores among the jobs.
    maxWorkers: Math.max(1, Math.floor(cores() / jobs)),
  };
  if (grading.sandbox) {
    const services = [...new Set(graded.flatMap((e) => e.requires))];
    for (const name of await removeStaleAccounts(services)) console.warn(`gradebook: removed ${name}, left on the services by a gradebook that did not finish`);
  }
  let done = 0;
  // Job slots: the sandboxes graded at the same time run as different users (when root).
  const freeSlots = Array.from({ length: jobs }, (_, slot) => slot);
  try {
    const rows = await mapLimit(students, jobs, async (student, index) => {
      const folder = path.join(options.submissionsDir, student);
      const hostPaths = [master, fs.realpathSync(master), path.resolve(options.submissionsDir), folder];
      const slot = freeSlots.shift() ?? 0;
      let row: StudentGrade;
      try {
        const { outcome, missing, refused, workspace } = await gradeSubmission(folder, index, grading, slot);
        row = toRow(student, graded, outcome, { missing, refused, workspace, hostPaths, secrets });
      } catch (error) {
        row = toRow(student, graded, `could not read the submission: ${error instanceof Error ? error.message : String(error)}`, { missing: [], refused: {}, workspace: '', hostPaths, secrets });
      } finally {
        freeSlots.push(slot);
      }
      options.onGraded?.(row, ++done, students.length);
      return row;
    });
    return rows.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  } finally {
    fs.rmSync(trustedDir, { recursive: true, force: true });
  }
}
