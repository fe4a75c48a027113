/**
 * The checks' end of the boundary: starts the submission's process (host.ts) the first time a
 * check file imports the submission's code, and gives the checks proxies of its modules.
 *
 * The check file's process then holds no code of the submission's at all: no hook it installs, no
 * memory it rewrites, no signal it sends can reach the checks, their assertions or the framework
 * that counts them. What its code returns is only data to judge. When the grading runs in a
 * sandbox (the gradebook), the submission's process runs in a sandbox of its own inside it (see
 * {@link hostCommand}): its own processes and files, so that it cannot even name the check
 * file's process.
 * @module
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setInterval as realInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { systemMounts } from './system-mounts';
import { LAYOUT } from '../../tooling/course';
import { readChecksEnv } from '../grade/checks-env';
import { FifoChannel, Watchdog } from './fifo-channel';
import { Peer } from './membrane';
import { ISOLATION_SLOWDOWN } from './vite-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** How often, at most, the checks ask the submission's process to let its pending work (its sockets) run on. */
const PUMP_MS = 1;

/**
 * The submission's process of this check file, and the generation of its modules: a file imported
 * a second time means the checks asked for fresh modules (`vi.resetModules()`), and from then on
 * every file of the submission is loaded afresh, its own imports too, as vitest would have done in
 * this process. Kept on the global object: `vi.resetModules()` loads this module afresh too.
 */
interface HostState {
  peer: Peer;
  generation: number;
  importedThisGeneration: Set<string>;
}
const STATE = Symbol.for('message-passing-workbook.submission-process');
const global = globalThis as { [STATE]?: HostState };

/** The module `file` of the submission, loaded in the submission's process. */
export function submissionModule(file: string): Promise<Record<string, unknown>> {
  const state = (global[STATE] ??= { peer: startHost(), generation: 0, importedThisGeneration: new Set() });
  if (state.importedThisGeneration.has(file)) {
    state.generation++;
    state.importedThisGeneration = new Set();
  }
  state.importedThisGeneration.add(file);
  return state.peer.request('import', [file, state.generation]) as Promise<Record<string, unknown>>;
}

/** What the submission's process sees of the workbook, read-only, in a sandbox of its own: what its code may import, and this folder's code. */
const HOST_SEES = ['node_modules', LAYOUT.toolkit, LAYOUT.isolation, 'package.json', 'tsconfig.json'];
/** What the toolkit reads from the environment (the services of its grading, its own accounts there), the only variables the code gets. */
const SERVICE_VARIABLES = ['AMQP_URL', 'REDIS_URL', 'REDIS_KEY_PREFIX', 'DATABASE_URL', 'CI'];
/** The user the code runs as when the checks run as root. */
const NOBODY = 65534;
/** Size of the submission's own /tmp in a sandbox of its own. */
const HOST_TMP_BYTES = 64 * 2 ** 20;

/**
 * The command that runs the submission's process for the pipes in `dir`, given the folders it
 * grades. In a sandbox (the gradebook's, where the checks already run in one), it gets a sandbox
 * of its own inside: its own user, process, IPC and host name namespaces (it cannot see, signal or
 * trace the checks' process), an empty /proc, the system and `HOST_SEES` read-only, the sandbox's /dev,
 * its submission's folders, and a small /tmp of its own (not the checks', which holds their
 * report). It shares the network of the checks' sandbox, which reaches nothing but the services
 * the exercises use (bridged by the gradebook) and the checks' own servers.
 */
function hostCommand(dir: string, graded: string[], sandbox: boolean): string[] {
  const host = [process.execPath, '--import', 'tsx', path.join(here, 'host.ts'), dir];
  if (!sandbox) return host;
  // The sandbox's /dev as it is (read-only, with its small /dev/shm that the gradebook counts as
  // memory); /proc an empty folder (a new proc cannot be mounted under the sandbox's read-only /proc/sys).
  const mounts = [...systemMounts(), '--dev-bind', '/dev', '/dev', '--dir', '/proc', '--perms', '1777', '--size', String(HOST_TMP_BYTES), '--tmpfs', '/tmp', '--bind', dir, dir];
  for (const rel of HOST_SEES) mounts.push('--ro-bind', path.join(root, rel), path.join(root, rel));
  // Its own folders writable, as in the checks' process: they are the sandbox's scratch, whose size the gradebook watches.
  for (const folder of graded) mounts.push('--bind', folder, folder);
  const namespaces = ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  const env = ['--clearenv', '--setenv', 'PATH', `${path.dirname(process.execPath)}:/usr/bin:/bin`, '--setenv', 'HOME', '/tmp', '--setenv', 'TMPDIR', '/tmp', '--setenv', 'LANG', 'C.UTF-8'];
  for (const name of SERVICE_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env.push('--setenv', name, value);
  }
  // As root, a user namespace alone still leaves root to the kernel: the code runs as nobody.
  const drop = process.getuid?.() === 0 ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'] : [];
  // The root (a tmpfs bubblewrap makes, of no size limit) read-only: nothing can be written beside the mounts.
  return [...drop, 'bwrap', ...mounts, '--remount-ro', '/', ...namespaces, '--die-with-parent', '--new-session', '--cap-drop', 'ALL', ...env, '--chdir', root, '--', ...host];
}

function startHost(): Peer {
  const { isolate, submissionDir, submissions } = readChecksEnv();
  const sandbox = isolate === 'sandbox';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'submission-'));
  const toHost = path.join(dir, 'to-submission');
  const fromHost = path.join(dir, 'from-submission');
  execFileSync('mkfifo', ['-m', '0600', toHost, fromHost]);
  // As root, the code runs as nobody (see hostCommand), who must open its pipes.
  if (sandbox && process.getuid?.() === 0) for (const file of [dir, toHost, fromHost]) fs.chownSync(file, NOBODY, NOBODY);
  const graded = [submissionDir ?? 'exercises', ...Object.values(submissions ?? {})].map((folder) => path.resolve(root, folder));
  const [command = '', ...args] = hostCommand(dir, graded, sandbox);
  // In the gradebook, what the code prints goes nowhere: the feedback is the checks' to write.
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', sandbox ? 'ignore' : 'inherit', sandbox ? 'ignore' : 'inherit'] });
  // The checks' process ends when its checks do; the submission's then reads the end of its pipe and ends too.
  child.unref();
  // As long as vitest lets a check wait (see vitest.checks.mts).
  const limitMs = (readChecksEnv().testTimeoutMs ?? 5000) * ISOLATION_SLOWDOWN;
  const watchdog = new Watchdog(child.pid ?? 0, [toHost, fromHost], limitMs, `timed out: the code under test did not answer within ${limitMs / 1000} s (an endless loop, or a wait that never ends?)`);
  watchdog.arm();
  let toFd: number;
  let fromFd: number;
  try {
    toFd = fs.openSync(toHost, 'w');
    fromFd = fs.openSync(fromHost, 'r');
  } finally {
    watchdog.disarm();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const started = new Peer(new FifoChannel(fromFd, toFd, watchdog), false);
  started.request('start', [checksTimers()]);
  // After each request, the submission's promises move on in a microtask of the checks': where
  // they would have run had its code been in this process.
  let turnQueued = false;
  started.onIdle = () => {
    if (turnQueued || !started.takeOtherWork()) return;
    turnQueued = true;
    queueMicrotask(() => {
      turnQueued = false;
      giveTurn(started);
    });
  };
  realInterval(() => {
    if (started.otherNeedsTurns) giveTurn(started);
  }, PUMP_MS).unref();
  process.once('exit', () => child.kill('SIGKILL'));
  return started;
}

/**
 * Lets the submission's promises and sockets move on. When its process has ended (a loop the
 * watchdog stopped, an exit), nothing happens here: the check that uses the code next says why.
 */
function giveTurn(peer: Peer): void {
  try {
    peer.request('pump', []);
  } catch {
    // said by the next request
  }
}

/** The checks' timers and clock, read when used (so that the checks' fake timers are the ones used). */
function checksTimers() {
  return {
    setTimeout: (callback: () => void, ms?: number, ...args: unknown[]) => globalThis.setTimeout(callback, ms, ...args),
    clearTimeout: (handle: Parameters<typeof clearTimeout>[0]) => globalThis.clearTimeout(handle),
    setInterval: (callback: () => void, ms?: number, ...args: unknown[]) => globalThis.setInterval(callback, ms, ...args),
    clearInterval: (handle: Parameters<typeof clearInterval>[0]) => globalThis.clearInterval(handle),
    setImmediate: (...args: Parameters<typeof setImmediate>) => globalThis.setImmediate(...args),
    clearImmediate: (handle: Parameters<typeof clearImmediate>[0]) => globalThis.clearImmediate(handle),
    now: () => Date.now(),
  };
}
