/**
 * Runs notebooks through real Jupyter (nbclient) with the workbook's kernel, started in the
 * notebook's own folder as Jupyter starts it. Used by the notebook tests and by the site build,
 * which publishes the outputs of a fresh execution.
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findRoot } from '../course';
import { killTree } from '../processes';

/** What {@link executeNotebook} found. */
export interface NotebookRun {
  notebook: string;
  ok: boolean;
  /** Number of code cells run (up to and including a failing one). */
  cells: number;
  seconds: number;
  failure: null | {
    /** Code cell number, counting code cells from 1. */
    cell: number;
    /** Index among all cells. */
    index: number;
    /** The failing cell's first line. */
    source: string;
    /** "error", "wrote to stderr", "timed out after N s", "the kernel died" or "kernel". */
    reason: string;
    message: string;
  };
}

const EXECUTE_PY = path.join(__dirname, 'execute.py');

/** Limits of one notebook run: per cell, and for the whole notebook. */
// A cell's limit covers the first diagram of a kernel, which starts a browser: tens of seconds on a busy machine.
export const NOTEBOOK_LIMITS = { cellSeconds: 60, notebookSeconds: 180 };

/**
 * Executes `notebook` in a fresh kernel, cell by cell, stopping at the first failing cell.
 * @param options.timeoutSeconds per-cell limit (default {@link NOTEBOOK_LIMITS})
 * @param options.totalSeconds limit for the whole notebook (default {@link NOTEBOOK_LIMITS})
 * @param options.output where to write the executed notebook (with outputs), if anywhere
 * @param options.env variables added to the environment of Jupyter and of the kernel it starts
 */
export function executeNotebook(
  notebook: string,
  options: { python: string; timeoutSeconds?: number; totalSeconds?: number; output?: string; root?: string; env?: Record<string, string> },
): Promise<NotebookRun> {
  const root = options.root ?? findRoot();
  const file = path.resolve(root, notebook);
  const args = [EXECUTE_PY, file, '--timeout', String(options.timeoutSeconds ?? NOTEBOOK_LIMITS.cellSeconds), '--cwd', path.dirname(file)];
  if (options.output) args.push('--output', options.output);
  const totalSeconds = options.totalSeconds ?? NOTEBOOK_LIMITS.notebookSeconds;
  return new Promise((resolve, reject) => {
    // Detached, so that the kernel Jupyter started goes too when the run is stopped.
    const child = spawn(options.python, args, {
      cwd: root,
      env: { ...process.env, ...options.env },
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    let overtime = false;
    const timer = setTimeout(() => {
      overtime = true;
      killTree(child.pid);
    }, totalSeconds * 1000);
    child.once('close', (code) => {
      clearTimeout(timer);
      killTree(child.pid);
      if (overtime) {
        const failure = { cell: 0, index: -1, source: '', reason: `timed out: the whole notebook took longer than ${totalSeconds} s`, message: '' };
        return resolve({ notebook, ok: false, cells: 0, seconds: totalSeconds, failure });
      }
      try {
        resolve({ ...(JSON.parse(stdout.trim().split('\n').pop() ?? '') as NotebookRun), notebook });
      } catch {
        reject(new Error(`could not run ${notebook} (exit code ${code}):\n${stderr}`));
      }
    });
  });
}

/** A one-paragraph description of a failed run, naming the notebook and the cell. */
export function describeFailure(run: NotebookRun): string {
  const f = run.failure;
  if (!f) return `${run.notebook}: ok`;
  if (f.reason === 'kernel') {
    return `${run.notebook}: the kernel could not run (${f.message}). Is it registered? Run ./setup (or \`npm run kernel:install\`).`;
  }
  return `${run.notebook}, code cell ${f.cell} (\`${f.source}\`): ${f.reason}\n${f.message}`;
}
