/**
 * Grades a whole class: every submission folder (a student release with the student's changes)
 * against this copy's public and hidden checks.
 *
 * Only the student's exercise code is graded: the `.ts` files of each `exercises/NN-slug/` are
 * copied into a scratch workspace inside this repository, and graded there by `npm run grade`
 * (checker/grade/cli.ts) in a child process with its own time limits. A submission that deletes files,
 * edits its copy of the checks or the toolkit, loops or crashes harms only its own row.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT, loadExercises, type Exercise } from '../../tooling/course';
import { cores, killTree, mapLimit, toPosix } from '../../tooling/system';
import { DEFAULT_TIME_LIMIT_MS, type ExerciseStatus, type GradeReport } from '../grade/grade';

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
  /** The message every failed check failed with, when they all share one (e.g. the code did not load). */
  reason?: string;
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
  /** The repository whose checks grade (default: this one). */
  root?: string;
  /** Exercises to grade (ids); default all. */
  exercises?: string[];
  /** Submissions graded at once; default the number of cores. */
  jobs?: number;
  /** Wall time the checks of one exercise may take. Default 10 s. */
  timeLimitMs?: number;
  /** Wall time one whole submission may take before its grading is killed. Default 5 min. */
  submissionLimitMs?: number;
  /** Called when a submission is done. */
  onGraded?: (grade: StudentGrade, done: number, count: number) => void;
}

/** Largest exercise file copied: anything bigger is not a student's code. */
const MAX_FILE_BYTES = 1024 * 1024;
const DEFAULT_SUBMISSION_LIMIT_MS = 5 * 60_000;

/** The submission folders in `dir`, sorted by name (hidden folders left out). */
export function listSubmissions(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Copies the code of each exercise of a submission (regular `.ts` files, tests left out; no
 * symbolic links) into `workspace/NN-slug/`.
 * @returns the exercises the submission has no folder for
 */
function copyExerciseCode(submission: string, exercises: Exercise[], workspace: string): string[] {
  const missing: string[] = [];
  for (const exercise of exercises) {
    const from = path.join(submission, exercise.dir);
    const stat = fs.lstatSync(from, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) {
      missing.push(exercise.id);
      continue;
    }
    const to = path.join(workspace, exercise.id);
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const code = entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(entry.name);
      if (code && fs.statSync(path.join(from, entry.name)).size <= MAX_FILE_BYTES) {
        fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
      }
    }
  }
  return missing;
}

/** Runs `npm run grade -- --dir <workspace> --json` in a child process, within a wall-time limit. */
function gradeWorkspace(root: string, workspace: string, ids: string[], options: { timeLimitMs: number; limitMs: number; maxWorkers: number }): Promise<GradeReport | string> {
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const args = [tsx, path.join(root, LAYOUT.grader, 'cli.ts'), 'grade', ...ids, '--dir', workspace, '--json', '--time-limit', String(options.timeLimitMs / 1000)];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GRADE_MAX_WORKERS: String(options.maxWorkers), NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    let killed = false;
    const overtime = setTimeout(() => {
      killed = true;
      killTree(child.pid);
    }, options.limitMs);
    child.once('close', () => {
      clearTimeout(overtime);
      killTree(child.pid);
      if (killed) return resolve(`grading took longer than ${Math.round(options.limitMs / 1000)} s and was stopped`);
      try {
        resolve(JSON.parse(stdout) as GradeReport);
      } catch {
        resolve(`the grader gave no result: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`);
      }
    });
  });
}

/** The row of a student from the grader's report; paths in the workspace read as exercises/. */
function toRow(student: string, exercises: Exercise[], result: GradeReport | string, missing: string[], workspace: string, root: string): StudentGrade {
  const prefix = `${toPosix(path.relative(root, workspace))}/`;
  const clean = (text: string) => text.split(prefix).join(`${LAYOUT.exercises}/`);
  const grades: Record<string, ExerciseGrade> = {};
  for (const exercise of exercises) {
    const base = { maxPoints: exercise.points, points: 0, passed: 0, total: 0, failed: [] };
    if (missing.includes(exercise.id)) {
      grades[exercise.id] = { ...base, status: 'missing', problems: [`${toPosix(exercise.dir)}/ is missing from the submission`] };
      continue;
    }
    const graded = typeof result === 'string' ? undefined : result.exercises.find((e) => e.id === exercise.id);
    if (!graded) {
      grades[exercise.id] = { ...base, status: 'error', problems: [typeof result === 'string' ? result : 'not graded'] };
      continue;
    }
    // One message shared by every failure says why in plain words; other messages are left out
    // (they may hold ports or timings, and the gradebook must come out the same every time).
    const messages = [...new Set(graded.failures.map((f) => f.message))];
    grades[exercise.id] = {
      ...(messages.length === 1 && graded.failures.length > 1 ? { reason: clean(messages[0]) } : {}),
      points: graded.points,
      maxPoints: graded.maxPoints,
      status: graded.status,
      passed: graded.passed,
      total: graded.total,
      problems: graded.problems.map(clean),
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
 * Grades every submission in `options.submissionsDir`, several at a time.
 * @returns one row per student, sorted by name
 */
export async function gradeClass(options: GradeClassOptions): Promise<StudentGrade[]> {
  const root = options.root ?? findRoot(__dirname);
  const all = loadExercises(root);
  const exercises = options.exercises?.length ? all.filter((e) => options.exercises?.includes(e.id)) : all;
  const students = listSubmissions(options.submissionsDir);
  const jobs = Math.max(1, Math.min(options.jobs ?? cores(), cores(), students.length || 1));
  // Each grading runs its check files in parallel too: share the cores among the jobs.
  const maxWorkers = Math.max(1, Math.floor(cores() / jobs));
  let done = 0;

  const rows = await mapLimit(students, jobs, async (student, index) => {
    // The workspace sits one level under the root, like exercises/, so that the students'
    // `../../toolkit/...` imports resolve to this repository's toolkit, not their copy of it.
    const workspace = path.join(root, `.gradebook-${process.pid}-${index}`);
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.mkdirSync(workspace);
    let row: StudentGrade;
    try {
      const missing = copyExerciseCode(path.join(options.submissionsDir, student), exercises, workspace);
      const present = exercises.filter((e) => !missing.includes(e.id)).map((e) => e.id);
      const result = present.length
        ? await gradeWorkspace(root, workspace, present, {
            timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
            limitMs: options.submissionLimitMs ?? DEFAULT_SUBMISSION_LIMIT_MS,
            maxWorkers,
          })
        : 'nothing to grade';
      row = toRow(student, exercises, result, missing, workspace, root);
    } catch (error) {
      const message = `could not read the submission: ${error instanceof Error ? error.message : String(error)}`;
      row = toRow(student, exercises, message, [], workspace, root);
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
    options.onGraded?.(row, ++done, students.length);
    return row;
  });
  return rows.sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
}
