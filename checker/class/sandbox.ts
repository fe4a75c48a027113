/**
 * The sandbox one submission is graded in, made with bubblewrap (Debian package `bubblewrap`).
 *
 * Inside, the file system holds only what grading needs, at /workbook: the submission's own
 * writable scratch (its exercise files under submission/ and a private .cache, each a tmpfs of
 * limited size that the entry script fills from a read-only copy), and read-only, from the
 * instructor's master copy, node_modules, the toolkit, the tooling, the grader, the exercises'
 * folders (records, starters, public checks) and the hidden check files (with their harness, where
 * there is one). Of the rest only the system's programs and libraries are there, read-only: no
 * solutions, no other submission, no gradebook output, no home folder. /tmp and /dev/shm are private tmpfs of limited size, /dev,
 * /proc/sys and /sys are read-only.
 *
 * Everything inside runs as an unprivileged user: when the gradebook runs as root, `setpriv`
 * drops to a user id of the job's own ({@link sandboxUser}) before bubblewrap starts, so the
 * kernel never sees root in there; no capabilities, no new privileges. The sandbox has its own
 * process namespace (every process the submission starts dies with it) and a network of its own
 * with loopback only; a service an exercise needs (RabbitMQ) is reached through a bridge
 * (service-bridge.ts). A seccomp filter (seccomp.ts) refuses ptrace and SIGUSR1 to every process,
 * and the grading processes run from execute-only copies of node and esbuild, which makes them
 * non-dumpable: code under test, under the same user id, can neither signal their inspector
 * open, nor trace them, nor read their memory, environment or file descriptors. CPU time, file
 * sizes and processes are limited with prlimit; memory, scratch space and processes are watched
 * from outside (memory.ts).
 *
 * The bubblewrap arguments are read from a file descriptor (`--args`), so that the sandbox's
 * /proc/1/cmdline names only paths inside it.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Exercise } from '../../tooling/course';
import { nodePath, systemMounts } from '../isolate/system-mounts';

/** Where the workspace appears inside the sandbox. */
export const SANDBOX_ROOT = '/workbook';
/** Where the sandbox's own entry script and the bridges' sockets appear inside it. */
export const SANDBOX_SUPPORT = '/sandbox';
/** Where the read-only copy of the submission's workspace appears inside, for the entry script to copy from. */
export const SANDBOX_STAGE = '/stage';

/** Limits on every process of a sandbox. */
export interface SandboxLimits {
  /** CPU seconds one process may use. */
  cpuSeconds: number;
  /** Largest file a process may write, in bytes. */
  fileBytes: number;
  /** Size of the private /tmp, in bytes. */
  tmpBytes: number;
  /** Size of the private /dev/shm, in bytes. */
  shmBytes: number;
  /** Size of the writable scratch folder of the submission's code (`/workbook/submission`), in bytes. */
  scratchBytes: number;
  /** Size of its private `.cache` (vite's cache, the type-check cache, network traces), in bytes. */
  cacheBytes: number;
  /** Processes (and threads) the sandbox's user may have at once. */
  processes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 600,
  fileBytes: 256 * 2 ** 20,
  tmpBytes: 256 * 2 ** 20,
  shmBytes: 64 * 2 ** 20,
  scratchBytes: 64 * 2 ** 20,
  cacheBytes: 256 * 2 ** 20,
  processes: 512,
};

/** The size-limited tmpfs mounts of a sandbox: where they are inside, what they are for, and their limit. */
export function sandboxTmpfs(limits: SandboxLimits): { where: string; what: string; bytes: number }[] {
  return [
    { where: '/tmp', what: '/tmp', bytes: limits.tmpBytes },
    { where: '/dev/shm', what: '/dev/shm', bytes: limits.shmBytes },
    { where: path.posix.join(SANDBOX_ROOT, SUBMISSION_DIR), what: 'its scratch folder', bytes: limits.scratchBytes },
    { where: path.posix.join(SANDBOX_ROOT, LAYOUT.cache), what: 'its cache folder', bytes: limits.cacheBytes },
  ];
}

/** An execute-only copy of a program the grading runs (node, esbuild), put in place of the original inside. */
export interface TrustedProgram {
  /** The copy, mode 0111, made by {@link makeTrustedPrograms}. */
  copy: string;
  /** Where the original is, the path it takes inside. */
  inside: string;
}

/** The user a sandbox runs as when the gradebook is root: one per job slot, so that their process limits are apart. */
interface SandboxUser {
  uid: number;
  gid: number;
}

/** First user id given to sandboxes when the gradebook runs as root (ids no account uses). */
const FIRST_SANDBOX_UID = 200_000;

/** The user of job slot `slot` when running as root; undefined when the gradebook is already unprivileged. */
export function sandboxUser(slot: number): SandboxUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = FIRST_SANDBOX_UID + (process.pid % 1000) * 64 + slot;
  return { uid: id, gid: id };
}

/** What one sandboxed grading runs on. */
export interface SandboxPlan {
  /** The instructor's master copy. */
  master: string;
  /** The read-only copy of the submission's workspace (its code under `submission/`, its `.cache`), copied into the scratch tmpfs inside. */
  stage: string;
  /** A folder holding the entry script and the bridges' sockets (mounted at /sandbox). */
  support: string;
  exercises: Exercise[];
  /** Environment of the grading inside (HOME, PATH and the like are set here). */
  env: Record<string, string>;
  limits: SandboxLimits;
  /** Execute-only copies of the grading's own programs. */
  trusted: TrustedProgram[];
  /** The unprivileged user to run as, when the gradebook is root. */
  user?: SandboxUser;
}

/**
 * Folders of the master copy every sandbox sees, read-only. `exercises/` holds the records, the
 * public checks and their harnesses; the submission's own code is graded from {@link SUBMISSION_DIR}.
 */
const SHARED = ['node_modules', LAYOUT.toolkit, LAYOUT.tooling, LAYOUT.grader, LAYOUT.isolation, LAYOUT.checkSupport, LAYOUT.exercises];
/** Files of the master copy every sandbox sees, read-only. */
const SHARED_FILES = [LAYOUT.courseFile, 'package.json', 'tsconfig.json'];
/** The workspace's folders, the only writable places of /workbook: the submission's code and its private cache. */
export const SUBMISSION_DIR = 'submission';
/** The programs the grading runs inside, to be made execute-only: node, and esbuild's binaries in the master copy. */
function trustedOriginals(master: string): string[] {
  const esbuild = path.join(master, 'node_modules', '@esbuild');
  const binaries = fs.existsSync(esbuild) ? fs.readdirSync(esbuild).map((name) => path.join(esbuild, name, 'bin', 'esbuild')) : [];
  return [nodePath(), ...binaries.filter((file) => fs.existsSync(file))];
}

/**
 * Makes execute-only copies (mode 0111) of the programs the grading runs, in `dir`: a process
 * started from a file it may not read is not dumpable, so that no other process of its user may
 * trace it or read its memory, environment or open files through /proc.
 */
export function makeTrustedPrograms(master: string, dir: string): TrustedProgram[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  return trustedOriginals(master).map((original, index) => {
    const copy = path.join(dir, `${index}-${path.basename(original)}`);
    fs.copyFileSync(original, copy);
    fs.chmodSync(copy, 0o111);
    const inside = original.startsWith(`${master}${path.sep}`) ? path.posix.join(SANDBOX_ROOT, path.relative(master, original).split(path.sep).join('/')) : original;
    return { copy, inside };
  });
}

/** The bubblewrap arguments (read by bubblewrap from a file descriptor) of a sandbox per `plan`. */
export function bwrapArguments(plan: SandboxPlan, seccompFd: number | undefined): string[] {
  const inside = (rel: string) => path.posix.join(SANDBOX_ROOT, rel.split(path.sep).join('/'));
  const { limits } = plan;
  const args = [...systemMounts(), '--proc', '/proc', '--ro-bind', '/proc/sys', '/proc/sys', '--ro-bind', '/sys', '/sys', '--dev', '/dev'];
  args.push('--ro-bind', plan.support, SANDBOX_SUPPORT, '--ro-bind', plan.stage, SANDBOX_STAGE);
  // Everything under /workbook is the master's, read-only (the records, so a submission cannot
  // change its points, files or imports; the checks, so it cannot replace them), but for the two
  // scratch folders of its workspace; the root is remounted read-only at the end, so that no
  // file or folder can be added beside them.
  for (const rel of SHARED) args.push('--ro-bind', path.join(plan.master, rel), inside(rel));
  for (const rel of SHARED_FILES) args.push('--ro-bind', path.join(plan.master, rel), inside(rel));
  for (const file of plan.exercises.flatMap((e) => [e.hiddenChecks, e.hiddenHarness]).filter((file) => fs.existsSync(path.join(plan.master, file)))) args.push('--ro-bind', path.join(plan.master, file), inside(file));
  for (const program of plan.trusted) args.push('--ro-bind', program.copy, program.inside);
  // Every writable place is a tmpfs of limited size; /dev itself is made read-only.
  for (const { where, bytes } of sandboxTmpfs(limits)) args.push('--perms', where.startsWith(SANDBOX_ROOT) ? '0755' : '1777', '--size', String(bytes), '--tmpfs', where);
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv', '--chdir', SANDBOX_ROOT);
  if (seccompFd !== undefined) args.push('--seccomp', String(seccompFd));
  for (const [key, value] of Object.entries(plan.env)) args.push('--setenv', key, value);
  return args;
}

/**
 * The command line that runs `command` (paths inside the sandbox) per `plan`: prlimit, then
 * setpriv to an unprivileged user when the gradebook is root, then bubblewrap reading its
 * arguments from file descriptor `argsFd`.
 */
export function sandboxCommand(plan: SandboxPlan, argsFd: number, command: string[]): string[] {
  const { cpuSeconds, fileBytes, processes } = plan.limits;
  const limits = ['prlimit', `--cpu=${cpuSeconds}:${cpuSeconds}`, `--fsize=${fileBytes}:${fileBytes}`, `--nproc=${processes}:${processes}`, '--core=0:0', '--'];
  const drop = plan.user
    ? ['setpriv', `--reuid=${plan.user.uid}`, `--regid=${plan.user.gid}`, '--clear-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--']
    : [];
  return [...limits, ...drop, 'bwrap', '--args', String(argsFd), '--', ...command];
}

/**
 * Why sandboxes cannot be made on this machine, or undefined when they can: bubblewrap, prlimit
 * (and setpriv as root) must be installed, and bubblewrap must be able to make its namespaces as
 * the user the sandboxes run as.
 */
export function sandboxUnavailable(): string | undefined {
  for (const program of ['bwrap', 'prlimit', ...(process.getuid?.() === 0 ? ['setpriv'] : [])]) {
    if (spawnSync(program, ['--version'], { encoding: 'utf8' }).error) {
      return `${program} is not installed (Debian/Ubuntu: sudo apt-get install ${program === 'bwrap' ? 'bubblewrap' : 'util-linux'}, or run ./setup)`;
    }
  }
  const user = sandboxUser(0);
  const drop = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'] : [];
  const [program, ...args] = [...drop, 'bwrap', '--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL', 'true'];
  const probe = spawnSync(program, args, { encoding: 'utf8' });
  if (probe.status !== 0) return `bubblewrap cannot make its namespaces here${user ? ' as an unprivileged user' : ''}: ${probe.stderr.trim() || `exit code ${String(probe.status)}`}`;
  return undefined;
}
