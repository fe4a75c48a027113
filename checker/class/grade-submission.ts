/**
 * Grades one submission: copies its exercise code into a workspace of its own and runs the
 * grading command (checker/grade/cli.ts) on it in a child process, within a wall-time and a
 * memory limit, in a sandbox (sandbox.ts) unless the instructor turned that off.
 * @module
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCheckFileName, LAYOUT, type Exercise, type Service } from '../../tooling/course';
import { killTree } from '../../tooling/system';
import type { GradeReport } from '../grade/grade';
import { treeMemory } from './memory';
import { DEFAULT_LIMITS, sandboxCommand, SANDBOX_ROOT, SANDBOX_SUPPORT, SUBMISSION_DIR } from './sandbox';
import { createAccounts } from './service-accounts';
import { startBridges, type Bridges } from './service-bridge';

/** Largest exercise file copied: anything bigger is not a student's code. */
const MAX_FILE_BYTES = 1024 * 1024;
const MEMORY_POLL_MS = 250;

/** How one submission is graded. */
export interface SubmissionGrading {
  /** The instructor's master copy. */
  master: string;
  /** Every exercise of the course (the records a workspace needs). */
  exercises: Exercise[];
  /** The exercises to grade. */
  graded: Exercise[];
  sandbox: boolean;
  /** Wall time the checks of one exercise may take. */
  timeLimitMs: number;
  /** Wall time the whole grading may take. */
  limitMs: number;
  /** Memory all its processes together may hold. */
  memoryBytes: number;
  /** Check files run at once inside (the jobs share the cores). */
  maxWorkers: number;
}

/** The grader's report, or why there is none. */
export type SubmissionOutcome = GradeReport | string;

/**
 * Copies the code of each exercise of a submission (regular code files of the exercise's
 * language, tests and the exercise's check files left out; no symbolic links) into `<into>/NN-slug/`.
 * @returns the exercises the submission has no folder for
 */
function copyExerciseCode(submission: string, exercises: Exercise[], into: string): string[] {
  const missing: string[] = [];
  for (const exercise of exercises) {
    const from = path.join(submission, exercise.dir);
    const to = path.join(into, exercise.id);
    fs.mkdirSync(to, { recursive: true });
    if (!fs.lstatSync(from, { throwIfNoEntry: false })?.isDirectory()) {
      missing.push(exercise.id);
      continue;
    }
    const extension = exercise.language === 'python' ? '.py' : '.ts';
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const code = entry.isFile() && entry.name.endsWith(extension) && !/[._](test|spec)\.(ts|py)$|^test_/.test(entry.name) && !isCheckFileName(entry.name);
      if (code && fs.statSync(path.join(from, entry.name)).size <= MAX_FILE_BYTES) fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
    }
  }
  return missing;
}

/** The arguments of the grading command, for exercises `ids`, with paths under `root`. */
function gradeArgs(root: string, ids: string[], grading: SubmissionGrading, dir: string): string[] {
  const args = [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, LAYOUT.grader, 'cli.ts'), 'grade', ...ids];
  args.push('--dir', dir, '--json', '--time-limit', String(grading.timeLimitMs / 1000));
  return args;
}

/** Runs `argv` detached, within the wall-time and memory limits, and reads the report it prints. */
function runGrader(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; limitMs: number; memoryBytes: number }): Promise<SubmissionOutcome> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    let stopped: string | undefined;
    const stop = (why: string) => {
      stopped ??= why;
      killTree(child.pid);
    };
    const overtime = setTimeout(() => stop(`grading took longer than ${Math.round(options.limitMs / 1000)} s and was stopped`), options.limitMs);
    const memory = setInterval(() => {
      if (child.pid !== undefined && treeMemory(child.pid) > options.memoryBytes) {
        stop(`it used more than ${Math.round(options.memoryBytes / 2 ** 20)} MB of memory and was stopped`);
      }
    }, MEMORY_POLL_MS);
    child.once('close', () => {
      clearTimeout(overtime);
      clearInterval(memory);
      killTree(child.pid);
      if (stopped) return resolve(stopped);
      try {
        resolve(JSON.parse(stdout) as GradeReport);
      } catch {
        resolve(`the grader gave no result: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`);
      }
    });
  });
}

/**
 * Grades the exercises `ids` of the code in `workspace` (laid out as a workbook), sandboxed, with
 * accounts of its own on the services they need (`index` is unique among the gradings at once).
 */
async function gradeSandboxed(workspace: string, index: number, ids: string[], grading: SubmissionGrading): Promise<SubmissionOutcome> {
  const support = `${workspace}-support`;
  fs.mkdirSync(support, { recursive: true });
  fs.copyFileSync(path.join(grading.master, LAYOUT.gradebook, 'sandbox-entry.cjs'), path.join(support, 'entry.cjs'));
  // The check titles are listed once, in the master copy; each sandbox reads the same list.
  const titles = path.join(grading.master, LAYOUT.cache, 'grade');
  const cache = path.join(workspace, LAYOUT.cache, 'grade');
  fs.mkdirSync(cache, { recursive: true });
  for (const name of fs.existsSync(titles) ? fs.readdirSync(titles).filter((n) => n.startsWith('titles-')) : []) fs.copyFileSync(path.join(titles, name), path.join(cache, name));

  const services = [...new Set(grading.graded.filter((e) => ids.includes(e.id)).flatMap((e) => e.requires))] as Service[];
  let made: Awaited<ReturnType<typeof createAccounts>>;
  try {
    made = await createAccounts(services, index);
  } catch (error) {
    fs.rmSync(support, { recursive: true, force: true });
    return `the gradebook could not make this submission's own accounts on ${services.join(' and ')}: ${error instanceof Error ? error.message : String(error)}`;
  }
  let bridges: Bridges | undefined;
  try {
    bridges = await startBridges(services, support, made.accounts);
    const node = fs.realpathSync(process.execPath);
    const env = {
      PATH: `${path.dirname(node)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      GRADE_MAX_WORKERS: String(grading.maxWorkers),
      ...bridges.env,
    };
    const command = [node, path.posix.join(SANDBOX_SUPPORT, 'entry.cjs'), node, ...gradeArgs(SANDBOX_ROOT, ids, grading, SUBMISSION_DIR)];
    const plan = { master: grading.master, workspace, support, exercises: grading.exercises, env, limits: DEFAULT_LIMITS };
    return await runGrader(sandboxCommand(plan, command), { cwd: workspace, env: process.env, limitMs: grading.limitMs, memoryBytes: grading.memoryBytes });
  } finally {
    await bridges?.close();
    fs.rmSync(support, { recursive: true, force: true });
    // After the sandbox is gone, on every way out (a time-out, a crash, a refused start).
    for (const failure of await made.remove()) console.warn(`gradebook: could not remove ${failure}`);
  }
}

/**
 * Grades one submission folder.
 * @param index a number unique among the submissions graded at once (names the workspace)
 * @returns the grader's report (or why there is none), and the exercises the submission lacks
 */
export async function gradeSubmission(submission: string, index: number, grading: SubmissionGrading): Promise<{ outcome: SubmissionOutcome; missing: string[]; workspace: string }> {
  // Sandboxed, the workspace lives outside the master copy and is laid out as a workbook. Without
  // a sandbox it sits one level under the master's root, like exercises/, so that
  // `../../toolkit` imports resolve there.
  const workspace = grading.sandbox
    ? path.join(os.tmpdir(), `gradebook-${process.pid}-${index}`)
    : path.join(grading.master, `.gradebook-${process.pid}-${index}`);
  fs.rmSync(workspace, { recursive: true, force: true });
  try {
    const into = grading.sandbox ? path.join(workspace, SUBMISSION_DIR) : workspace;
    const missing = copyExerciseCode(submission, grading.graded, into);
    const ids = grading.graded.filter((e) => !missing.includes(e.id)).map((e) => e.id);
    if (ids.length === 0) return { outcome: 'nothing to grade', missing, workspace };
    if (grading.sandbox) {
      for (const exercise of grading.exercises) fs.mkdirSync(path.join(into, exercise.id), { recursive: true });
      return { outcome: await gradeSandboxed(workspace, index, ids, grading), missing, workspace };
    }
    const argv = [process.execPath, ...gradeArgs(grading.master, ids, grading, workspace)];
    const env = { ...process.env, GRADE_MAX_WORKERS: String(grading.maxWorkers), NO_COLOR: '1', FORCE_COLOR: '0' };
    return { outcome: await runGrader(argv, { cwd: grading.master, env, limitMs: grading.limitMs, memoryBytes: grading.memoryBytes }), missing, workspace };
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
