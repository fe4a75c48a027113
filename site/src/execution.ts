/**
 * Fresh outputs for the lesson pages: each notebook runs through real Jupyter, and the executed
 * copy is cached under the hash of its code cells and of what they depend on (the toolkit, and the
 * other files of lessons/ such as the Python companions and the quiz). A rebuild with nothing
 * changed runs nothing, and an edit of the prose alone re-renders without re-executing. The
 * workbook's tests execute every lesson once (tests/support/execute-lessons.ts) into the same
 * cache, so the site build in the tests finds them there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAYOUT } from '../../tooling/course';
import { joinText, type Notebook } from '../../tooling/notebook';
import { describeFailure, executeNotebook } from '../../tooling/notebooks/run';
import { writeFileAtomic } from '../../tooling/files';
import { findJupyterPython } from '../../tooling/programs';
import { listFiles, readIfExists, sha256 } from '../../tooling/cache';
import { DIAGRAM_SERVER_VARIABLE, startDiagramServer } from '../../tooling/diagrams/server';

export interface ExecutedNotebook {
  notebook: Notebook;
  /** "executed", "cached", or "no code" (a notebook without code cells is not run). */
  how: 'executed' | 'cached' | 'no code';
}

class ExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutionError';
  }
}

/** A hash of the files under `dir` (relative to `root`) that `keep` accepts. */
function filesHash(root: string, dir: string, keep: (file: string) => boolean): string {
  const full = path.join(root, dir);
  const files = listFiles(full, (name) => name === 'node_modules' || name.startsWith('.') || name === '__pycache__').filter(keep);
  return sha256(...files.flatMap((file) => [file, fs.readFileSync(path.join(full, file))]));
}

/** A hash of the toolkit's sources. */
export function toolkitHash(root: string): string {
  return filesHash(root, LAYOUT.toolkit, (file) => file.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(file));
}

/**
 * What the outputs of the lessons at `root` depend on besides their own code: the toolkit, the
 * other files of lessons/, and the toolkit of `kernelRoot`, the workbook whose kernel runs them.
 */
export function lessonDependencies(root: string, kernelRoot: string): string {
  return sha256(toolkitHash(root), filesHash(root, LAYOUT.lessons, (file) => !file.endsWith('.ipynb')), toolkitHash(kernelRoot));
}

export interface ExecuteOptions {
  root: string;
  cacheDir: string;
  /** Hash of whatever else the outputs depend on (see {@link lessonDependencies}). */
  dependencies: string;
  /** The notebook file's text, when the caller has read it already (default: read from `file`). */
  source?: string;
  timeoutSeconds?: number;
  /** Variables added to the kernel's environment (see {@link withDiagramServer}). */
  env?: Record<string, string>;
}

const codeCells = (notebook: Notebook) => notebook.cells.filter((cell) => cell.cell_type === 'code');

/** The key of a notebook's outputs: its code, the kernel it names, and its dependencies. Not its prose. */
function outputsKey(notebook: Notebook, dependencies: string): string {
  return sha256(JSON.stringify(codeCells(notebook).map((cell) => joinText(cell.source))), JSON.stringify(notebook.metadata?.kernelspec ?? {}), dependencies);
}

/** `notebook` as it is now, with the outputs of an executed copy that has the same code cells. */
function withOutputs(notebook: Notebook, executed: Notebook): Notebook {
  const outputs = codeCells(executed);
  let next = 0;
  const cells = notebook.cells.map((cell) => {
    if (cell.cell_type !== 'code') return cell;
    const { outputs: produced, execution_count } = outputs[next++];
    return { ...cell, outputs: produced, execution_count };
  });
  return { ...notebook, metadata: { ...notebook.metadata, ...executed.metadata }, cells };
}

/** The notebook at `file` (relative to the root), executed now or taken from the cache. */
export async function executeCached(file: string, options: ExecuteOptions): Promise<ExecutedNotebook> {
  const original = JSON.parse(options.source ?? fs.readFileSync(path.join(options.root, file), 'utf8')) as Notebook;
  if (!codeCells(original).some((cell) => joinText(cell.source).trim() !== '')) return { notebook: original, how: 'no code' };
  const cached = path.join(options.cacheDir, 'notebooks', `${outputsKey(original, options.dependencies)}.ipynb`);
  const hit = readIfExists(cached);
  if (hit !== undefined) return { notebook: withOutputs(original, JSON.parse(hit) as Notebook), how: 'cached' };

  const python = findJupyterPython();
  if (!python) {
    throw new ExecutionError(`cannot execute ${file}: Jupyter (python3 with nbclient) was not found. Run ./setup, which installs it.`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'site-notebook-'));
  try {
    const output = path.join(scratch, 'executed.ipynb');
    const run = await executeNotebook(file, { python, output, root: options.root, timeoutSeconds: options.timeoutSeconds, env: options.env });
    if (!run.ok) throw new ExecutionError(`the site publishes fresh outputs, and a notebook failed:\n${describeFailure(run)}`);
    const executed = fs.readFileSync(output, 'utf8');
    writeFileAtomic(cached, executed);
    return { notebook: withOutputs(original, JSON.parse(executed) as Notebook), how: 'executed' };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `work`, which executes notebooks, with one drawing server for the diagrams of all their
 * kernels (tooling/diagrams/server.ts): one browser for the whole run, where each kernel would
 * start its own. `work` passes `env` to {@link executeCached}. The browser starts only if a
 * kernel asks for a diagram that is not in the cache.
 */
export async function withDiagramServer<T>(
  cacheDir: string,
  browser: { path: string } | { missing: string },
  work: (env: Record<string, string> | undefined) => Promise<T>,
): Promise<T> {
  const server = await startDiagramServer(cacheDir, browser);
  try {
    return await work(server && { [DIAGRAM_SERVER_VARIABLE]: server.socket });
  } finally {
    await server?.close();
  }
}
