/**
 * Grading from a notebook: `await grade('13')` in a cell of the workbook's kernel grades exercise 13
 * as `npm run grade -- 13` does and shows the result under the cell: the table, the README's items
 * with the checks that cover each, every failure in words, and the sequence diagram of a failed
 * network check drawn inline, with a link to its file in the exercise's `traces/` folder (to open
 * it at full size; the link works from the notebook's own folder). Running the cell again after an
 * edit grades the code as it is then, without restarting anything: the grader runs in a process of
 * its own (`npm run grade -- --serve`), started by the first grade() and kept, with its vitest and
 * type-checker warm, until the kernel goes (a re-grade then takes well under a second).
 *
 * Lessons end with such a cell, and a student's own scratch notebook can use it too:
 *
 *     import { grade } from './checker/grade/notebook';
 *     await grade('13');
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { showHtml } from '../../toolkit/show';

/** The workbook's root, two folders up from the grader's. */
const ROOT = path.resolve(__dirname, '..', '..');
// This file imports nothing of the grader: the notebook's kernel (tslab) type-checks all it imports.

/** A failed check's diagram: its mermaid source and, when it could be drawn, its SVG (relative to the root). */
export interface FailureDiagram {
  check: string;
  source: string;
  svg?: string;
}

/** What `npm run grade -- NN --notebook` prints: the text, and each failed check's diagram (relative to the root). */
export interface NotebookGrade {
  text: string;
  diagrams: FailureDiagram[];
}

/** A link to `file` (relative to the root) that works from a notebook in `from`: lessons/, the root, or wherever it is. */
const hrefOf = (file: string, from: string) => path.relative(from, path.join(ROOT, file)).split(path.sep).map(encodeURIComponent).join('/');

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The grader serving this kernel's grade() calls (`--serve`), once started. */
let server: ChildProcess | undefined;
/** The last lines it printed: why it stopped, when it does. */
let serverOutput = '';

/** The grader this kernel keeps, started first when there is none. It keeps no kernel (or script) alive by itself. */
function graderServer(): ChildProcess {
  if (server?.connected) return server;
  serverOutput = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cli.ts'), 'grade', '--serve'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  for (const stream of [child.stdout, child.stderr] as Socket[]) {
    stream.on('data', (chunk: Buffer) => (serverOutput = (serverOutput + chunk.toString()).slice(-4000)));
    stream.unref();
  }
  child.unref();
  child.channel?.unref();
  server = child;
  return child;
}

/** The gradings asked for so far, in order: the grader answers one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** Grades as `npm run grade -- --notebook` does, in the grader this kernel keeps. */
function runGrader(exercises: string[], dir: string | undefined): Promise<NotebookGrade> {
  const graded = queue.then(() => askGrader(exercises, dir));
  queue = graded.catch(() => undefined);
  return graded;
}

/** Asks the grader for one grading. */
function askGrader(exercises: string[], dir: string | undefined): Promise<NotebookGrade> {
  const child = graderServer();
  // Waiting for the answer keeps the kernel (or script) alive.
  child.channel?.ref();
  return new Promise<NotebookGrade>((resolve, reject) => {
    const answer = (message: { graded?: NotebookGrade; error?: string }) => {
      child.off('close', stopped);
      if (message.graded) resolve(message.graded);
      else reject(new Error(message.error));
    };
    const stopped = () => {
      child.off('message', answer);
      reject(new Error((serverOutput.trim() || 'the grader stopped').split('\n').slice(0, 5).join('\n')));
    };
    child.once('message', answer);
    child.once('close', stopped);
    child.send({ exercises, dir });
  }).finally(() => child.channel?.unref());
}

/** Options of {@link grade}. */
interface NotebookOptions {
  /** Grade this folder of NN-slug/ folders instead of `exercises/` (e.g. `'solutions'`). */
  dir?: string;
  /**
   * The folder of the notebook, which its links start from. Default: where Jupyter started the
   * kernel, beside the notebook, which the kernel's launcher (tooling/kernel/launch.cjs) says
   * before it moves to the workbook's root.
   */
  notebookDir?: string;
}

/**
 * What {@link grade} shows of a grading (`npm run grade -- NN --notebook`'s result), as HTML: its
 * text, and each failed network check's diagram drawn inline, with links to its files that work
 * from a notebook in the folder `from`.
 */
export function notebookHtml(graded: NotebookGrade, from: string): string {
  const figures = graded.diagrams
    .filter(({ source }) => fs.existsSync(path.join(ROOT, source)))
    .map(({ check, source, svg }) => {
      const drawn = svg && fs.existsSync(path.join(ROOT, svg)) ? svg : undefined;
      const links = [...(drawn ? [`<a href="${hrefOf(drawn, from)}" target="_blank">${escapeHtml(drawn)}</a>`] : []), `<a href="${hrefOf(source, from)}" target="_blank">${drawn ? 'its mermaid source' : escapeHtml(source)}</a>`];
      const caption = `What crossed the network in the failed run of <b>${escapeHtml(check)}</b> (${links.join(', ')}):`;
      const image = drawn ? `<img style="max-width:100%" alt="sequence diagram of the failed run" src="data:image/svg+xml;base64,${fs.readFileSync(path.join(ROOT, drawn)).toString('base64')}">` : '';
      return `<figure style="margin:1em 0"><figcaption>${caption}</figcaption>${image}</figure>`;
    });
  return `<pre style="white-space:pre-wrap">${escapeHtml(graded.text)}</pre>${figures.join('')}`;
}

/**
 * Grades one exercise or several and shows the result under the cell.
 * @param exercises a number, slug or id (`'13'`, `'failure-detector'`, `'13-failure-detector'`), or a list of them
 * @param options see {@link NotebookOptions}: another folder to grade, the notebook's folder
 */
export async function grade(exercises: string | string[], options: NotebookOptions = {}): Promise<void> {
  const graded = await runGrader(typeof exercises === 'string' ? [exercises] : exercises, options.dir);
  showHtml(notebookHtml(graded, options.notebookDir ?? process.env.WORKBOOK_NOTEBOOK_DIR ?? process.cwd()), graded.text);
}
