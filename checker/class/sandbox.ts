/**
 * The sandbox one submission is graded in, made with bubblewrap (Debian package `bubblewrap`).
 *
 * Inside, the file system holds only what grading needs, at /workbook: the submission's own
 * writable workspace (its exercise files under submission/ and a private .cache), and read-only,
 * from the instructor's master copy, node_modules, the toolkit, the tooling, the grader, the
 * exercises' folders (records, starters, public checks) and the hidden check files. Of the rest only the system's programs and libraries are
 * there, read-only: no solutions, no other submission, no gradebook output, no home folder. /tmp is
 * private. The sandbox has its own process namespace (every process the submission starts dies
 * with it), no capabilities, and a network of its own with loopback only; a service an exercise
 * needs (RabbitMQ) is reached through a bridge (service-bridge.ts). CPU time and file sizes are
 * limited with prlimit; memory is watched from outside (memory.ts).
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Exercise } from '../../tooling/course';

/** Where the workspace appears inside the sandbox. */
export const SANDBOX_ROOT = '/workbook';
/** Where the sandbox's own entry script and the bridges' sockets appear inside it. */
export const SANDBOX_SUPPORT = '/sandbox';

/** Limits on every process of a sandbox. */
export interface SandboxLimits {
  /** CPU seconds one process may use. */
  cpuSeconds: number;
  /** Largest file a process may write, in bytes. */
  fileBytes: number;
  /** Size of the private /tmp, in bytes. */
  tmpBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { cpuSeconds: 600, fileBytes: 256 * 1024 * 1024, tmpBytes: 256 * 1024 * 1024 };

/** What one sandboxed grading runs on. */
export interface SandboxPlan {
  /** The instructor's master copy. */
  master: string;
  /** The submission's workspace: its exercise files under `submission/` and its `.cache` (writable). */
  workspace: string;
  /** A folder holding the entry script and the bridges' sockets (mounted at /sandbox). */
  support: string;
  exercises: Exercise[];
  /** Environment of the grading inside (HOME, PATH and the like are set here). */
  env: Record<string, string>;
  limits: SandboxLimits;
}

/**
 * Folders of the master copy every sandbox sees, read-only. `exercises/` holds the records, the
 * public checks and their harnesses; the submission's own code is graded from {@link SUBMISSION_DIR}.
 */
const SHARED = ['node_modules', LAYOUT.toolkit, LAYOUT.tooling, LAYOUT.grader, LAYOUT.checkSupport, LAYOUT.exercises];
/** Files of the master copy every sandbox sees, read-only. */
const SHARED_FILES = [LAYOUT.courseFile, 'package.json', 'tsconfig.json'];
/** The workspace's folders, the only writable places of /workbook: the submission's code and its private cache. */
export const SUBMISSION_DIR = 'submission';
const WRITABLE = [SUBMISSION_DIR, LAYOUT.cache];
/** The few files of /etc that programs need: names, time zone, libraries, certificates. */
const ETC = ['hosts', 'passwd', 'group', 'nsswitch.conf', 'localtime', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'ssl', 'ca-certificates', 'alternatives'];

/** Mounts of the system: /usr and what links into it, read-only; a symlink stays a symlink. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir);
    else if (stat?.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  for (const name of ETC) args.push('--ro-bind-try', path.join('/etc', name), path.join('/etc', name));
  // Node may live outside /usr (nvm, a tarball): its installation, read-only.
  const node = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  if (!node.startsWith('/usr/') && node !== '/usr') args.push('--ro-bind', node, node);
  return args;
}

/** The bubblewrap and prlimit command line that runs `command` (paths inside the sandbox) per `plan`. */
export function sandboxCommand(plan: SandboxPlan, command: string[]): string[] {
  const inside = (rel: string) => path.posix.join(SANDBOX_ROOT, rel.split(path.sep).join('/'));
  const args = ['bwrap', ...systemMounts(), '--proc', '/proc', '--dev', '/dev', '--size', String(plan.limits.tmpBytes), '--tmpfs', '/tmp'];
  args.push('--bind', plan.support, SANDBOX_SUPPORT);
  // Everything under /workbook is the master's, read-only (the records, so a submission cannot
  // change its points, files or imports; the checks, so it cannot replace them), but for the two
  // writable folders of its workspace; the root is remounted read-only at the end, so that no
  // file or folder can be added beside them.
  for (const rel of SHARED) args.push('--ro-bind', path.join(plan.master, rel), inside(rel));
  for (const rel of SHARED_FILES) args.push('--ro-bind', path.join(plan.master, rel), inside(rel));
  for (const file of plan.exercises.map((e) => e.hiddenChecks).filter((file) => fs.existsSync(path.join(plan.master, file)))) args.push('--ro-bind', path.join(plan.master, file), inside(file));
  for (const rel of WRITABLE) args.push('--bind', path.join(plan.workspace, rel), inside(rel));
  args.push('--remount-ro', '/');
  args.push('--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv', '--chdir', SANDBOX_ROOT);
  for (const [key, value] of Object.entries(plan.env)) args.push('--setenv', key, value);
  const { cpuSeconds, fileBytes } = plan.limits;
  return ['prlimit', `--cpu=${cpuSeconds}:${cpuSeconds}`, `--fsize=${fileBytes}:${fileBytes}`, '--', ...args, '--', ...command];
}

/**
 * Why sandboxes cannot be made on this machine, or undefined when they can: bubblewrap and
 * prlimit must be installed, and bubblewrap must be able to make its namespaces.
 */
export function sandboxUnavailable(): string | undefined {
  for (const program of ['bwrap', 'prlimit']) {
    if (spawnSync(program, ['--version'], { encoding: 'utf8' }).error) {
      return `${program} is not installed (Debian/Ubuntu: sudo apt-get install ${program === 'bwrap' ? 'bubblewrap' : 'util-linux'}, or run ./setup)`;
    }
  }
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '--die-with-parent', '--cap-drop', 'ALL', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `bubblewrap cannot make its namespaces here: ${probe.stderr.trim() || `exit code ${String(probe.status)}`}`;
  return undefined;
}
