/**
 * Grading from a notebook: `await grade('13')` in a cell of the workbook's kernel grades exercise 13
 * as `npm run grade -- 13` does and shows the result under the cell: the table, the README's items
 * with the checks that cover each, every failure in words, and the sequence diagram of a failed
 * network check drawn inline. Running the cell again after an edit grades the code as it is then
 * (each grading is a process of its own, so nothing needs restarting).
 *
 * Lessons end with such a cell, and a student's own scratch notebook can use it too:
 *
 *     import { grade } from './checker/grade/notebook';
 *     await grade('13');
 * @module
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { showHtml } from '../../toolkit/show';

/** The workbook's root, two folders up from the grader's. */
const ROOT = path.resolve(__dirname, '..', '..');

/** What `npm run grade -- NN --notebook` prints: the text, and each failed check's drawn diagram (relative to the root). */
interface NotebookGrade {
  text: string;
  diagrams: { check: string; svg: string }[];
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Runs the grader as `npm run grade` does, in a process of its own. */
function runGrader(exercises: string[], dir: string | undefined): Promise<NotebookGrade> {
  // tsx's own script, run by this node: no shell, and the same on Windows.
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const args = [tsx, path.join(__dirname, 'cli.ts'), 'grade', ...exercises, '--notebook', ...(dir ? ['--dir', dir] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const printed = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(printed) as NotebookGrade);
      } catch {
        // No result: a usage error (an unknown exercise) or a grader that could not start.
        reject(new Error((stderr.trim() || stdout.trim() || (error?.message ?? 'the grader printed nothing')).split('\n').slice(0, 5).join('\n')));
      }
    });
  });
}

/**
 * Grades one exercise or several and shows the result under the cell.
 * @param exercises a number, slug or id (`'13'`, `'failure-detector'`, `'13-failure-detector'`), or a list of them
 * @param options `dir`: grade this folder of NN-slug/ folders instead of `exercises/` (e.g. `'solutions'`)
 */
export async function grade(exercises: string | string[], options: { dir?: string } = {}): Promise<void> {
  const graded = await runGrader(typeof exercises === 'string' ? [exercises] : exercises, options.dir);
  const figures = graded.diagrams
    .filter(({ svg }) => fs.existsSync(path.join(ROOT, svg)))
    .map(({ check, svg }) => {
      const image = Buffer.from(fs.readFileSync(path.join(ROOT, svg))).toString('base64');
      return (
        `<figure style="margin:1em 0"><figcaption>What crossed the network in the failed run of <b>${escapeHtml(check)}</b>:</figcaption>` +
        `<img style="max-width:100%" alt="sequence diagram of the failed run" src="data:image/svg+xml;base64,${image}"></figure>`
      );
    });
  showHtml(`<pre style="white-space:pre-wrap">${escapeHtml(graded.text)}</pre>${figures.join('')}`, graded.text);
}
