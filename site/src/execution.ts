/**
 * Fresh outputs for the lesson pages: each notebook runs through real Jupyter at build time, and the
 * executed copy is cached under the hash of the notebook and of the toolkit it imports, so a rebuild
 * with nothing changed runs nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeFailure, executeNotebook, findJupyterPython } from '../../scripts/notebooks/run';
import { listFiles, readIfExists, sha256, writeFileAtomic } from './cache';
import { joinText, type Notebook } from './notebook';

export interface ExecutedNotebook {
  notebook: Notebook;
  /** "executed", "cached", or "no code" (a notebook without code cells is not run). */
  how: 'executed' | 'cached' | 'no code';
}

export class ExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutionError';
  }
}

/** A hash of the toolkit's sources: lessons import it, so its changes change their outputs. */
export function toolkitHash(root: string): string {
  const dir = path.join(root, 'toolkit');
  const files = listFiles(dir, (name) => name === 'node_modules' || name.startsWith('.')).filter(
    (file) => file.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(file),
  );
  return sha256(...files.flatMap((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

export interface ExecuteOptions {
  root: string;
  cacheDir: string;
  /** Hash of whatever else the outputs depend on (see {@link toolkitHash}). */
  dependencies: string;
  timeoutSeconds?: number;
}

/** The notebook at `file` (relative to the root), executed now or taken from the cache. */
export async function executeCached(file: string, options: ExecuteOptions): Promise<ExecutedNotebook> {
  const content = fs.readFileSync(path.join(options.root, file));
  const original = JSON.parse(content.toString('utf8')) as Notebook;
  if (!original.cells.some((cell) => cell.cell_type === 'code' && joinText(cell.source).trim() !== '')) {
    return { notebook: original, how: 'no code' };
  }
  const cached = path.join(options.cacheDir, 'notebooks', `${sha256(content, options.dependencies)}.ipynb`);
  const hit = readIfExists(cached);
  if (hit !== undefined) return { notebook: JSON.parse(hit) as Notebook, how: 'cached' };

  const python = findJupyterPython();
  if (!python) {
    throw new ExecutionError(
      `cannot execute ${file}: Jupyter (python3 with nbclient) was not found.\n` +
        'Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient, then `npm run kernel:install`.',
    );
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'site-notebook-'));
  try {
    const output = path.join(scratch, 'executed.ipynb');
    const run = await executeNotebook(file, { python, output, root: options.root, timeoutSeconds: options.timeoutSeconds ?? 60 });
    if (!run.ok) throw new ExecutionError(`the site publishes fresh outputs, and a notebook failed:\n${describeFailure(run)}`);
    const executed = fs.readFileSync(output, 'utf8');
    writeFileAtomic(cached, executed);
    return { notebook: JSON.parse(executed) as Notebook, how: 'executed' };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
