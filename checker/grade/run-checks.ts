/**
 * Runs check files in a separate vitest process and collects vitest's JSON report, guarded by a
 * watchdog.
 *
 * All check files of a grading run go to one vitest process (that is what makes grading fast).
 * Code that loops forever without yielding (`while (true) {}`, or an endless chain of microtasks)
 * blocks its worker, and vitest's own test timeout cannot fire. So the grader watches progress:
 * the grading reporter (grading-reporter.ts) tells over IPC when each check file starts and ends.
 * A file that runs longer than the time limit is declared timed out, the whole vitest process
 * tree is killed, and the other files are run again without it. A run that dies without a report
 * and without a stuck file (student code that killed vitest, say) is retried one exercise at a
 * time, so that only the culprit loses its grade.
 *
 * A re-grade after a save (`--watch`, the notebook's `grade()`) may run in a vitest kept warm
 * between gradings instead (warm-vitest.mts, `warm`): the same config, reporter, canaries, report
 * digest and watchdog, without vitest's start-up; a time-out kills it as it kills a cold one, and
 * the next grading starts another. `npm run grade` and the gradebook start a fresh vitest each time.
 *
 * `GRADE_DEBUG=1` prints the progress events and their times (ms since vitest started) to stderr.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAYOUT } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { killTree } from '../../tooling/processes';
import { ISOLATION_SLOWDOWN } from '../isolate/vite-plugin';
import { checksEnv, type ChecksSettings } from './checks-env';
import type { ProgressEvent } from './grading-reporter';

/** One check as vitest's JSON reporter describes it. */
export interface JsonAssertionResult {
  ancestorTitles: string[];
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  failureMessages: string[];
}

/** One check file as vitest's JSON reporter describes it. */
export interface JsonTestResult {
  name: string;
  status: 'passed' | 'failed';
  /** The file-level error, e.g. a failing setup; empty when there is none. */
  message: string;
  assertionResults: JsonAssertionResult[];
}

/** The part of vitest's JSON report the grader reads. */
export interface JsonReport {
  testResults: JsonTestResult[];
}

/** What became of one check file. */
/**
 * What became of a check file's canaries (checker/shared/canary.ts), as vitest's main process saw
 * them: how many were planted, and how many of them failed and passed. They are not in the report.
 */
export interface CanaryFate {
  planted: number;
  failed: number;
  passed: number;
}

export type CheckFileOutcome =
  | { kind: 'report'; result: JsonTestResult; canaries: CanaryFate }
  | { kind: 'timed-out'; limitMs: number; checkCount?: number; check?: string }
  | { kind: 'crashed'; message: string; checkCount?: number };

/** Options of {@link runChecks}. */
export interface RunChecksOptions {
  /** The repository root. */
  root: string;
  /** Exercise id → folder of the code to grade for it (absolute or relative to root). */
  submissions: Record<string, string>;
  /**
   * Folder of `NN-slug/` folders for the exercises not in `submissions` that the checks import
   * (exercise 03's checks use exercise 02's code). Default: the starters' folder.
   */
  defaultDir?: string;
  /**
   * Key → check file, relative to root. Only these are run. A key names a check file in the
   * outcomes (the grader uses the exercise id for the public checks, `id:hidden` for the hidden).
   */
  checkFiles: Record<string, string>;
  /** Wall time one check file may take, from the moment its worker starts it (times 1 + repeats). */
  timeLimitMs: number;
  /** Check file → a longer time limit for it (an exercise's `timeLimitSeconds`). */
  fileTimeLimitsMs?: Record<string, number>;
  /** Vitest's per-check timeout: catches a promise that never settles. */
  checkTimeoutMs?: number;
  /** Run the submission's code in a process of its own (see checker/isolate/). */
  isolate?: 'process' | 'sandbox';
  /** Run every check this many extra times (stability runs). */
  repeats?: number;
  /** Where checks on netsim write the diagrams of their runs, per exercise (see checker/shared/netsim-trace.ts); for failures only, or `all`. */
  traces?: { dirs: Record<string, string>; all: boolean };
  /**
   * Run the checks in a vitest kept warm between gradings (warm-vitest.mts), for re-grades after a
   * save (`--watch`, the notebook). Default: a fresh vitest process per grading.
   */
  warm?: boolean;
  /** Run only these checks, by full title (`describe > check`). */
  onlyChecks?: string[];
}

/** How long vitest may take to start up and finish, on top of the time limits of its files. */
const STARTUP_ALLOWANCE_MS = 30_000;
const WATCHDOG_INTERVAL_MS = 100;

const live = new Set<ChildProcess>();

let cleanupInstalled = false;

/** Makes sure no vitest process outlives the grader, even on Ctrl-C (children have their own group). */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const child of live) killTree(child.pid);
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

interface BatchResult {
  /** Check files that ran past the time limit. */
  timedOut: string[];
  /** The check each check file began last, by check file: the one a time-out names. */
  lastChecks: Map<string, string>;
  /** Check counts learnt from collection, by check file. */
  checkCounts: Map<string, number>;
  /** What became of the canaries, by check file. */
  canaries: Map<string, CanaryFate>;
  /** The verified report, when vitest finished and wrote one. */
  report?: JsonReport;
  /** Why there is no report. */
  problem?: string;
}

/** Environment of a vitest child: the parent's, minus what a surrounding vitest set. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|CHECKS_)/.test(key) && key !== 'TEST') env[key] = value;
  }
  // The checks' config imports the manifest's TypeScript modules, which vite's bundled config loader handles.
  return { ...env, ...extra, FORCE_COLOR: '0', NO_COLOR: '1', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };
}

/** The time limit of one check file: a stability run repeats every check, so it gets longer. */
const limitOf = (options: RunChecksOptions, file: string) =>
  Math.max(options.timeLimitMs, options.fileTimeLimitsMs?.[file] ?? 0) * (1 + (options.repeats ?? 0)) * (options.isolate ? ISOLATION_SLOWDOWN : 1);

/** The last `max` characters of a growing text. */
function tail(text: string, max = 4000): string {
  return text.length > max ? text.slice(-max) : text;
}

/** A vitest process that runs one batch: its child, and the batch's end (the child's exit, or a warm vitest's `run-end`). */
interface Launch {
  child: ChildProcess;
  finished: Promise<void>;
  /** Where the grading reporter writes the report. */
  reportFile: string;
  /** After the batch: what to keep or throw away (`stuck`: it was killed, or did not finish). */
  settle: (stuck: boolean) => void;
}

/** Starts node with `args` as the checks' vitest (cold or warm), told `settings` and where to write its report. */
function spawnChecks(root: string, args: string[], settings: ChecksSettings, reportFile: string): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: childEnv(checksEnv({ ...settings, reportFile })),
  });
  live.add(child);
  return child;
}

/** Starts a cold vitest for these check files: a process of its own, gone when they are. */
function launchCold(root: string, files: string[], settings: ChecksSettings): Launch {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-'));
  const reportFile = path.join(tempDir, 'report.json');
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const child = spawnChecks(root, [vitest, 'run', '--configLoader', 'runner', '--config', path.join(root, LAYOUT.grader, 'vitest.checks.mts'), ...files], settings, reportFile);
  const finished = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const settle = () => {
    killTree(child.pid); // workers that outlived vitest
    live.delete(child);
    fs.rmSync(tempDir, { recursive: true, force: true });
  };
  return { child, finished, reportFile, settle };
}

/** The settings of the checks' vitest for a grading (all but the report file). */
function settingsOf(options: RunChecksOptions): ChecksSettings {
  const { root } = options;
  return {
    submissionDir: path.resolve(root, options.defaultDir ?? LAYOUT.exercises),
    submissions: Object.fromEntries(Object.entries(options.submissions).map(([id, dir]) => [id, path.resolve(root, dir)])),
    testTimeoutMs: options.checkTimeoutMs ?? 5000,
    isolate: options.isolate,
    repeats: options.repeats ?? 0,
    traces: options.traces,
    onlyChecks: options.onlyChecks,
  };
}

/** What the grader sends the warm vitest (warm-vitest.mts): the check files of one grading (absolute paths). */
export interface WarmRequest {
  files: string[];
}

/** What the warm vitest says besides the grading reporter's progress. */
export type WarmEvent = { event: 'ready' } | { event: 'run-end' };

/** The vitest kept warm (warm-vitest.mts), with the settings it was started with: one at a time. */
let warm: { child: ChildProcess; settings: string; tempDir: string; reportFile: string; ready: Promise<void> } | undefined;

/** Stops the warm vitest and all it started. */
function stopWarm(): void {
  if (!warm) return;
  killTree(warm.child.pid);
  live.delete(warm.child);
  fs.rmSync(warm.tempDir, { recursive: true, force: true });
  warm = undefined;
}

/** Runs these check files (absolute) in the warm vitest, started first when there is none for these settings. */
async function launchWarm(root: string, files: string[], settings: ChecksSettings): Promise<Launch> {
  const key = JSON.stringify(settings);
  if (warm && (warm.settings !== key || !warm.child.connected)) stopWarm();
  if (!warm) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-warm-'));
    const reportFile = path.join(tempDir, 'report.json');
    const child = spawnChecks(root, ['--import', 'tsx', path.join(root, LAYOUT.grader, 'warm-vitest.mts')], settings, reportFile);
    // Its output between gradings is dropped, so that a full pipe never blocks it.
    child.stdout?.resume();
    child.stderr?.resume();
    const ready = new Promise<void>((resolve) => {
      child.on('message', (message: WarmEvent) => message.event === 'ready' && resolve());
      child.once('close', () => resolve());
    });
    warm = { child, settings: key, tempDir, reportFile, ready };
  }
  const { child, reportFile, ready } = warm;
  await ready;
  fs.rmSync(reportFile, { force: true });
  const finished = new Promise<void>((resolve) => {
    const onMessage = (message: WarmEvent) => message.event === 'run-end' && done();
    const done = () => {
      child.off('message', onMessage);
      child.off('close', done);
      resolve();
    };
    child.on('message', onMessage);
    child.once('close', done);
    if (child.connected) child.send({ files } satisfies WarmRequest);
    else done();
  });
  const settle = (stuck: boolean) => {
    if (stuck) stopWarm();
  };
  return { child, finished, reportFile, settle };
}

async function runBatch(options: RunChecksOptions, ids: string[]): Promise<BatchResult> {
  const { root } = options;
  const files = ids.map((id) => options.checkFiles[id]);
  // Vitest names modules with forward slashes, on Windows too.
  const absoluteFiles = new Map(files.map((file) => [toPosix(path.resolve(root, file)), file]));
  const launchedAt = Date.now();
  installCleanup();
  const settings = settingsOf(options);
  const { child, finished, reportFile, settle } = options.warm ? await launchWarm(root, [...absoluteFiles.keys()], settings) : launchCold(root, files, settings);
  let output = '';
  const collect = (chunk: Buffer) => (output = tail(output + chunk.toString()));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const started = new Map<string, number>();
  const ended = new Set<string>();
  const checkCounts = new Map<string, number>();
  const lastChecks = new Map<string, string>();
  const canaries = new Map<string, CanaryFate>();
  let reportDigest: string | undefined;
  const listen = (raw: ProgressEvent) => {
    if (process.env.GRADE_DEBUG) console.error(Date.now() - launchedAt, JSON.stringify(raw));
    const file = 'file' in raw ? absoluteFiles.get(toPosix(raw.file)) : undefined;
    if (raw.event === 'module-start' && file && !started.has(file)) started.set(file, Date.now());
    else if (raw.event === 'module-collected' && file) checkCounts.set(file, raw.checks);
    else if (raw.event === 'check-start' && file) lastChecks.set(file, raw.check);
    else if (raw.event === 'module-end' && file) ended.add(file);
    else if (raw.event === 'canaries' && file) canaries.set(file, { planted: raw.planted, failed: raw.failed, passed: raw.passed });
    else if (raw.event === 'report-written') reportDigest = raw.sha256;
  };
  child.on('message', listen);

  const backstopMs = STARTUP_ALLOWANCE_MS + files.reduce((sum, file) => sum + limitOf(options, file), 0);
  const timedOut: string[] = [];
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const [file, at] of started) {
      if (!ended.has(file) && now - at > limitOf(options, file)) timedOut.push(file);
    }
    if (timedOut.length > 0 || now - launchedAt > backstopMs) killTree(child.pid);
  }, WATCHDOG_INTERVAL_MS);
  await finished;
  if (process.env.GRADE_DEBUG) console.error(Date.now() - launchedAt, 'finished', timedOut);
  clearInterval(watchdog);
  child.off('message', listen);
  child.stdout?.off('data', collect);
  child.stderr?.off('data', collect);

  const result: BatchResult = { timedOut: [...new Set(timedOut)], lastChecks, checkCounts, canaries };
  const overran = Date.now() - launchedAt > backstopMs;
  if (timedOut.length === 0) {
    if (overran) result.problem = `vitest did not finish within ${Math.round(backstopMs / 1000)} s`;
    else result.report = readReport(reportFile, reportDigest, output, (problem) => (result.problem = problem));
  }
  settle(timedOut.length > 0 || overran || child.exitCode !== null || child.signalCode !== null);
  return result;
}

/**
 * Reads the JSON report, but only if it is byte for byte what the grading reporter says it
 * wrote: code under test that rewrites the file gets no say in the grade.
 */
export function readReport(file: string, digest: string | undefined, output: string, fail: (problem: string) => void): JsonReport | undefined {
  if (!fs.existsSync(file)) return void fail(`vitest stopped without writing its report\n${output.trim()}`);
  const text = fs.readFileSync(file, 'utf8');
  if (digest === undefined) return void fail(`vitest stopped before confirming its report\n${output.trim()}`);
  if (createHash('sha256').update(text).digest('hex') !== digest) {
    return void fail('the report file was changed after vitest wrote it, so it is not trusted');
  }
  return JSON.parse(text) as JsonReport;
}

/**
 * Runs the check files of the given exercises against their submissions.
 * @returns an outcome for every key of `options.checkFiles`.
 */
export async function runChecks(options: RunChecksOptions): Promise<Map<string, CheckFileOutcome>> {
  const outcomes = new Map<string, CheckFileOutcome>();
  const idOf = new Map(Object.entries(options.checkFiles).map(([id, file]) => [file, id]));
  let pending = Object.keys(options.checkFiles);
  while (pending.length > 0) {
    const batch = await runBatch(options, pending);
    const countOf = (id: string) => batch.checkCounts.get(options.checkFiles[id]);
    for (const file of batch.timedOut) {
      const id = idOf.get(file) as string;
      outcomes.set(id, { kind: 'timed-out', limitMs: limitOf(options, file), checkCount: countOf(id), check: batch.lastChecks.get(file) });
    }
    pending = pending.filter((id) => !outcomes.has(id));
    if (batch.timedOut.length > 0) continue; // run the others again, without the stuck ones

    if (batch.report) {
      const byFile = new Map(batch.report.testResults.map((r) => [toPosix(path.relative(options.root, r.name)), r]));
      for (const id of pending) {
        const result = byFile.get(options.checkFiles[id]);
        const canaries = batch.canaries.get(options.checkFiles[id]) ?? { planted: 0, failed: 0, passed: 0 };
        outcomes.set(id, result ? { kind: 'report', result, canaries } : { kind: 'crashed', message: 'vitest reported nothing for these checks' });
      }
    } else if (pending.length === 1) {
      outcomes.set(pending[0], { kind: 'crashed', message: batch.problem ?? 'vitest failed', checkCount: countOf(pending[0]) });
    } else {
      // Something killed the whole run: grade each exercise on its own to find out which.
      for (const id of pending) {
        const single = await runChecks({ ...options, checkFiles: { [id]: options.checkFiles[id] } });
        outcomes.set(id, single.get(id) as CheckFileOutcome);
      }
    }
    break;
  }
  return outcomes;
}
