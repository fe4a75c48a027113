/**
 * Grades one submission: copies its exercise code into a workspace of its own and runs the
 * grading command (checker/grade/cli.ts) on it in a child process, within a wall-time and a
 * memory limit, in a sandbox (sandbox.ts) unless the instructor turned that off.
 *
 * Sandboxed, the grade recorded is only a result sealed with a key of this grading
 * (grade/result-seal.ts), which only the grader inside holds: whatever else the sandbox prints
 * is not a result.
 * @module
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCheckFileName, LAYOUT, type Exercise, type Service } from '../../tooling/course';
import { killTree } from '../../tooling/processes';
import type { GradeReport } from '../grade/grade';
import { checksEnv } from '../grade/checks-env';
import { nodePath } from '../isolate/system-mounts';
import { unsealResult } from '../grade/result-seal';
import { sandboxUsage, treeMemory } from './memory';
import { seccompFilter } from './seccomp';
import {
  bwrapArguments,
  DEFAULT_LIMITS,
  sandboxCommand,
  sandboxTmpfs,
  sandboxUser,
  SANDBOX_ROOT,
  SANDBOX_STAGE,
  SANDBOX_SUPPORT,
  SUBMISSION_DIR,
  type SandboxLimits,
  type SandboxPlan,
  type TrustedProgram,
} from './sandbox';
import { createAccounts } from './service-accounts';
import { startBridges, type Bridges } from './service-bridge';

/** Largest exercise file copied: anything bigger is not a student's code. */
const MAX_FILE_BYTES = 1024 * 1024;
const MEMORY_POLL_MS = 250;
const MB = 2 ** 20;

/** How one submission is graded. */
export interface SubmissionGrading {
  /** The instructor's master copy. */
  master: string;
  /** Every exercise of the course (the records a workspace needs). */
  exercises: Exercise[];
  /** The exercises to grade. */
  graded: Exercise[];
  sandbox: boolean;
  /** Execute-only copies of node and esbuild for the sandboxes (sandbox.ts, makeTrustedPrograms). */
  trusted: TrustedProgram[];
  /** Wall time the checks of one exercise may take. */
  timeLimitMs: number;
  /** Wall time the whole grading may take. */
  limitMs: number;
  /** Memory all its processes together may hold, files on its tmpfs mounts included. */
  memoryBytes: number;
  /** Check files run at once inside (the jobs share the cores). */
  maxWorkers: number;
}

/** The grader's report, or why there is none. */
export type SubmissionOutcome = GradeReport | string;

/** What was copied of a submission. */
interface Copied {
  /** The exercises the submission has no folder for. */
  missing: string[];
  /** Exercise id → why its folder was not graded (a symbolic link on the way to it). */
  refused: Record<string, string>;
}

/**
 * Why the path from the submission folder down to `rel` may not be followed: one of its parts is
 * a symbolic link, or leads out of the submission; undefined when every part is a real folder
 * inside it. `rel` must then exist.
 */
function linkOnTheWay(submission: string, rel: string): string | undefined {
  const real = fs.realpathSync(submission);
  let at = submission;
  for (const part of rel.split(path.sep)) {
    at = path.join(at, part);
    const stat = fs.lstatSync(at, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) return `${path.relative(submission, at).split(path.sep).join('/')} is a symbolic link: the gradebook grades only folders the submission holds itself`;
  }
  const resolved = fs.realpathSync(at);
  if (resolved !== path.join(real, rel)) return `${rel.split(path.sep).join('/')} is not inside the submission`;
  return undefined;
}

/**
 * Copies the code of each exercise of a submission (regular code files of the exercise's
 * language, tests and the exercise's check files left out; no symbolic link followed, on the
 * way to the exercise folder nor in it) into `<into>/NN-slug/`.
 */
function copyExerciseCode(submission: string, exercises: Exercise[], into: string): Copied {
  const copied: Copied = { missing: [], refused: {} };
  for (const exercise of exercises) {
    const from = path.join(submission, exercise.dir);
    const to = path.join(into, exercise.id);
    fs.mkdirSync(to, { recursive: true });
    const link = linkOnTheWay(submission, exercise.dir);
    if (link) {
      copied.refused[exercise.id] = `refused, not graded: ${link}`;
      continue;
    }
    if (!fs.lstatSync(from, { throwIfNoEntry: false })?.isDirectory()) {
      copied.missing.push(exercise.id);
      continue;
    }
    const extension = exercise.language === 'python' ? '.py' : '.ts';
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const code = entry.isFile() && entry.name.endsWith(extension) && !/[._](test|spec)\.(ts|py)$|^test_/.test(entry.name) && !isCheckFileName(entry.name);
      if (!code) continue;
      // Opened without following a link (the folder may have changed since it was listed).
      let fd: number;
      try {
        fd = fs.openSync(path.join(from, entry.name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      } catch {
        continue;
      }
      try {
        const stat = fs.fstatSync(fd);
        if (stat.isFile() && stat.size <= MAX_FILE_BYTES) fs.writeFileSync(path.join(to, entry.name), fs.readFileSync(fd), { mode: 0o644 });
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return copied;
}

/** The arguments of the grading command, for exercises `ids`, with paths under `root`. */
function gradeArgs(root: string, ids: string[], grading: SubmissionGrading, dir: string): string[] {
  const args = [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, LAYOUT.grader, 'cli.ts'), 'grade', ...ids];
  args.push('--dir', dir, '--json', '--time-limit', String(grading.timeLimitMs / 1000), '--own-process', 'sandbox');
  return args;
}

/** How {@link runGrader} runs and watches a grading. */
interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  limitMs: number;
  memoryBytes: number;
  /** Sandboxed: the key the result must be sealed with, the sandbox's limits, and file descriptors for the child (3, 4, ...). */
  sandbox?: { key: string; limits: SandboxLimits; fds: number[] };
}

/** Why a sandbox must be stopped now, from what it holds; undefined while it is within its limits. */
function overLimit(pid: number, options: RunOptions): string | undefined {
  if (!options.sandbox) return treeMemory(pid) > options.memoryBytes ? `it used more than ${Math.round(options.memoryBytes / MB)} MB of memory and was stopped` : undefined;
  const { limits } = options.sandbox;
  const mounts = sandboxTmpfs(limits);
  const usage = sandboxUsage(pid, mounts);
  // The limit of processes counts threads too: a sandbox with half as many processes is forking without end.
  if (usage.processes > limits.processes / 2) return `it started more than ${limits.processes / 2} processes (too many processes) and was stopped`;
  const full = mounts.findIndex((mount, i) => usage.tmpfsBytes[i] >= mount.bytes - 2 * MB);
  if (full >= 0) return `it filled the ${Math.round(mounts[full].bytes / MB)} MB of ${mounts[full].what} (files there are held in memory) and was stopped`;
  const files = usage.tmpfsBytes.reduce((sum, bytes) => sum + bytes, 0);
  if (usage.residentBytes + files > options.memoryBytes) {
    return `it used more than ${Math.round(options.memoryBytes / MB)} MB of memory (${Math.round(usage.residentBytes / MB)} MB in its processes, ${Math.round(files / MB)} MB in files on /tmp, /dev/shm and its scratch folders) and was stopped`;
  }
  return undefined;
}

/** Runs `argv` detached, within the wall-time, memory and sandbox limits, and reads the report it prints (sealed, when sandboxed). */
function runGrader(argv: string[], options: RunOptions): Promise<SubmissionOutcome> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    const stdio = ['pipe', 'pipe', 'pipe', ...(options.sandbox?.fds ?? [])] as ('pipe' | number)[];
    const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio, env: options.env });
    child.stdin?.end(options.sandbox ? `${options.sandbox.key}\n` : '');
    child.stdin?.on('error', () => {});
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    let stopped: string | undefined;
    const stop = (why: string) => {
      stopped ??= why;
      killTree(child.pid);
    };
    const overtime = setTimeout(() => stop(`grading took longer than ${Math.round(options.limitMs / 1000)} s and was stopped`), options.limitMs);
    const watch = setInterval(() => {
      const why = child.pid === undefined ? undefined : overLimit(child.pid, options);
      if (why) stop(why);
    }, MEMORY_POLL_MS);
    child.once('close', () => {
      clearTimeout(overtime);
      clearInterval(watch);
      killTree(child.pid);
      if (stopped) return resolve(stopped);
      const noResult = `the grader gave no result: ${stderr.trim().split('\n').slice(-3).join(' ') || 'no output'}`;
      try {
        if (!options.sandbox) return resolve(JSON.parse(stdout) as GradeReport);
        const json = unsealResult(options.sandbox.key, stdout);
        resolve(json === undefined ? noResult : (JSON.parse(json) as GradeReport));
      } catch {
        resolve(noResult);
      }
    });
  });
}

/** Makes `dir` and everything in it readable by anyone (the sandbox's user is not the gradebook's). */
function readableByAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o644);
  }
}

/**
 * Grades the exercises `ids` of the code staged in `workspace` (laid out as a workbook), sandboxed,
 * with accounts of its own on the services they need (`index` is unique among the gradings at once).
 */
async function gradeSandboxed(workspace: string, index: number, ids: string[], grading: SubmissionGrading, slot: number): Promise<SubmissionOutcome> {
  const support = `${workspace}-support`;
  const outside = `${workspace}-bwrap`;
  fs.mkdirSync(support, { recursive: true });
  fs.mkdirSync(outside, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(grading.master, LAYOUT.gradebook, 'sandbox-entry.cjs'), path.join(support, 'entry.cjs'));
  // The check titles are listed once, in the master copy; each sandbox reads the same list.
  const titles = path.join(grading.master, LAYOUT.cache, 'grade');
  const cache = path.join(workspace, LAYOUT.cache, 'grade');
  fs.mkdirSync(cache, { recursive: true });
  for (const name of fs.existsSync(titles) ? fs.readdirSync(titles).filter((n) => n.startsWith('titles-')) : []) fs.copyFileSync(path.join(titles, name), path.join(cache, name));
  readableByAll(workspace);
  readableByAll(support);

  const services = [...new Set(grading.graded.filter((e) => ids.includes(e.id)).flatMap((e) => e.requires))] as Service[];
  let made: Awaited<ReturnType<typeof createAccounts>>;
  try {
    made = await createAccounts(services, index);
  } catch (error) {
    fs.rmSync(support, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    return `the gradebook could not make this submission's own accounts on ${services.join(' and ')}: ${error instanceof Error ? error.message : String(error)}`;
  }
  let bridges: Bridges | undefined;
  const fds: number[] = [];
  try {
    bridges = await startBridges(services, support, made.accounts);
    const node = nodePath();
    const env = {
      PATH: `${path.dirname(node)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: '/tmp',
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...checksEnv({ maxWorkers: grading.maxWorkers }),
      SANDBOX_STAGE,
      SANDBOX_ROOT,
      ...bridges.env,
    };
    const command = [node, path.posix.join(SANDBOX_SUPPORT, 'entry.cjs'), node, ...gradeArgs(SANDBOX_ROOT, ids, grading, SUBMISSION_DIR)];
    const plan: SandboxPlan = { master: grading.master, stage: workspace, support, exercises: grading.exercises, env, limits: DEFAULT_LIMITS, trusted: grading.trusted, user: sandboxUser(slot) };
    const filter = seccompFilter();
    if (filter) fs.writeFileSync(path.join(outside, 'seccomp.bpf'), filter);
    // File descriptors 3 (the seccomp filter, when there is one) and 3 or 4 (bubblewrap's arguments) of the child.
    const argsFd = filter ? 4 : 3;
    fs.writeFileSync(path.join(outside, 'args'), `${bwrapArguments(plan, filter ? 3 : undefined).join('\0')}\0`);
    if (filter) fds.push(fs.openSync(path.join(outside, 'seccomp.bpf'), 'r'));
    fds.push(fs.openSync(path.join(outside, 'args'), 'r'));
    const key = randomBytes(32).toString('hex');
    // The sandbox's outer processes get a bare environment: nothing of the gradebook's shows in /proc inside.
    const outerEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
    return await runGrader(sandboxCommand(plan, argsFd, command), {
      cwd: '/',
      env: outerEnv,
      limitMs: grading.limitMs,
      memoryBytes: grading.memoryBytes,
      sandbox: { key, limits: DEFAULT_LIMITS, fds },
    });
  } finally {
    for (const fd of fds) fs.closeSync(fd);
    await bridges?.close();
    fs.rmSync(support, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    // After the sandbox is gone, on every way out (a time-out, a crash, a refused start).
    for (const failure of await made.remove()) console.warn(`gradebook: could not remove ${failure}`);
  }
}

/** What became of one submission. */
interface SubmissionResult {
  /** The grader's report, or why there is none. */
  outcome: SubmissionOutcome;
  /** The exercises the submission lacks. */
  missing: string[];
  /** Exercise id → why its folder was refused. */
  refused: Record<string, string>;
  workspace: string;
}

/**
 * Grades one submission folder.
 * @param index a number unique among the submissions graded at once (names the workspace)
 * @param slot the job slot it is graded in, from 0 (sandboxes of different slots run as different users, as root)
 */
export async function gradeSubmission(submission: string, index: number, grading: SubmissionGrading, slot = 0): Promise<SubmissionResult> {
  // Sandboxed, the workspace lives outside the master copy and is laid out as a workbook. Without
  // a sandbox it sits one level under the master's root, like exercises/, so that
  // `../../toolkit` imports resolve there.
  const workspace = grading.sandbox
    ? path.join(os.tmpdir(), `gradebook-${process.pid}-${index}`)
    : path.join(grading.master, `.gradebook-${process.pid}-${index}`);
  fs.rmSync(workspace, { recursive: true, force: true });
  try {
    const into = grading.sandbox ? path.join(workspace, SUBMISSION_DIR) : workspace;
    const { missing, refused } = copyExerciseCode(submission, grading.graded, into);
    const ids = grading.graded.filter((e) => !missing.includes(e.id) && !(e.id in refused)).map((e) => e.id);
    if (ids.length === 0) return { outcome: 'nothing to grade', missing, refused, workspace };
    if (grading.sandbox) {
      for (const exercise of grading.exercises) fs.mkdirSync(path.join(into, exercise.id), { recursive: true });
      return { outcome: await gradeSandboxed(workspace, index, ids, grading, slot), missing, refused, workspace };
    }
    const argv = [process.execPath, ...gradeArgs(grading.master, ids, grading, workspace)];
    const env = { ...process.env, ...checksEnv({ maxWorkers: grading.maxWorkers }), NO_COLOR: '1', FORCE_COLOR: '0' };
    return { outcome: await runGrader(argv, { cwd: grading.master, env, limitMs: grading.limitMs, memoryBytes: grading.memoryBytes }), missing, refused, workspace };
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
