/**
 * Runs notebooks through real Jupyter (nbclient) with the workbook's kernel. Used by the
 * notebook tests and by the site build, which publishes the outputs of a fresh execution.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../../toolkit/course';

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

/** The Python that has nbclient: $JUPYTER_PYTHON, else Debian's /usr/bin/python3, else python3. */
export function findJupyterPython(): string | null {
  const candidates = [process.env.JUPYTER_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    if (python.includes('/') && !fs.existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import nbclient, nbformat'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

/** Every notebook under `lessons/` and `exercises/`, relative to the root, sorted. */
export function listNotebooks(root: string = findRoot()): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(path.join(root, dir))) return;
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(rel);
      else if (entry.isFile() && entry.name.endsWith('.ipynb')) found.push(rel);
    }
  };
  walk('lessons');
  walk('exercises');
  return found.sort();
}

/**
 * Executes `notebook` in a fresh kernel, cell by cell, stopping at the first failing cell.
 * @param options.timeoutSeconds per-cell limit (default 60)
 * @param options.output where to write the executed notebook (with outputs), if anywhere
 */
export function executeNotebook(
  notebook: string,
  options: { python: string; timeoutSeconds?: number; output?: string; root?: string },
): Promise<NotebookRun> {
  const root = options.root ?? findRoot();
  const args = [EXECUTE_PY, path.resolve(root, notebook), '--timeout', String(options.timeoutSeconds ?? 60), '--cwd', root];
  if (options.output) args.push('--output', options.output);
  return new Promise((resolve, reject) => {
    execFile(options.python, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const run = JSON.parse(line) as NotebookRun;
        resolve({ ...run, notebook });
      } catch {
        reject(new Error(`could not run ${notebook}: ${error?.message ?? ''}\n${stderr}`));
      }
    });
  });
}

/** A one-paragraph description of a failed run, naming the notebook and the cell. */
export function describeFailure(run: NotebookRun): string {
  const f = run.failure;
  if (!f) return `${run.notebook}: ok`;
  if (f.reason === 'kernel') {
    return `${run.notebook}: the kernel could not run (${f.message}). Is it registered? Run \`npm run kernel:install\`.`;
  }
  return `${run.notebook}, code cell ${f.cell} (\`${f.source}\`): ${f.reason}\n${f.message}`;
}
