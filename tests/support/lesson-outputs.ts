/**
 * What an executed lesson printed, for the checks in tests/conclusions/ that hold a lesson's
 * printed conclusions to its printed rows. The executions come from the site's notebook cache,
 * which the tests' global setup (tests/support/execute-lessons.ts) fills before any test runs: a
 * check reads them and runs no notebook of its own.
 */
import { inject } from 'vitest';
import { findRoot, loadLessons } from '../../tooling/course';
import { joinText, type DataOutput, type Notebook } from '../../tooling/notebook';
import { executeCached, lessonDependencies } from '../../site/src/execution';
import { DEFAULT_CACHE_DIR } from '../../site/src/site';

/** A Markdown table a cell showed: one record per row, by column heading, as printed. */
export type Table = Record<string, string>[];

/** What one code cell left behind: its tables, the mermaid source of its diagrams, and the text it printed. */
export interface CellOutputs {
  tables: Table[];
  diagrams: string[];
  text: string;
}

/** Parses a Markdown table as `showTable` prints it (a header, a rule, one line per row). */
export function parseTable(markdown: string): Table {
  const split = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replace(/\\\|/g, '|'));
  const [header, , ...body] = markdown.trim().split('\n');
  const columns = split(header);
  return body.map((line) => Object.fromEntries(split(line).map((value, i) => [columns[i], value])));
}

function cellOutputs(notebook: Notebook): CellOutputs[] {
  return notebook.cells
    .filter((cell) => cell.cell_type === 'code')
    .map((cell) => {
      const outputs = cell.outputs ?? [];
      const shown = outputs.filter((output): output is DataOutput => output.output_type === 'display_data');
      const tables = shown
        .filter((output) => 'text/markdown' in output.data)
        .map((output) => joinText(output.data['text/markdown'] as string | string[]))
        .filter((markdown) => markdown.startsWith('|'))
        .map(parseTable);
      // A diagram's plain-text alternative is its mermaid source (toolkit/show).
      const diagrams = shown.filter((output) => output.metadata?.mermaid === true).map((output) => joinText(output.data['text/plain'] as string | string[]));
      const text = outputs.map((output) => (output.output_type === 'stream' && output.name === 'stdout' ? joinText(output.text) : '')).join('');
      return { tables, diagrams, text };
    });
}

/**
 * Whether the outputs of the lesson `id` can be read: Jupyter was found and the lesson ran clean
 * (tests/notebooks.test.ts reports a lesson that did not).
 */
export function lessonRan(id: string): boolean {
  const runs = inject('lessonRuns');
  const lesson = loadLessons(findRoot(__dirname)).find((l) => l.id === id);
  return runs?.find((run) => run.notebook === lesson?.file)?.failure === null;
}

/** The outputs of every code cell of the lesson `id`, in order, from the executions the global setup made. */
export async function lessonOutputs(id: string): Promise<CellOutputs[]> {
  const root = findRoot(__dirname);
  const lesson = loadLessons(root).find((l) => l.id === id);
  if (!lesson) throw new Error(`there is no lesson ${id}`);
  const { notebook } = await executeCached(lesson.file, { root, cacheDir: DEFAULT_CACHE_DIR, dependencies: lessonDependencies(root, root) });
  return cellOutputs(notebook);
}

/** The one cell that showed a table with column `column`, with that table. */
export function cellWithColumn(cells: CellOutputs[], column: string): { table: Table; text: string } {
  const found = cells.flatMap((cell) => cell.tables.filter((table) => column in (table[0] ?? {})).map((table) => ({ table, text: cell.text })));
  if (found.length !== 1) throw new Error(`expected one table with the column "${column}", found ${found.length}`);
  return found[0];
}

/** The printed line that starts with `start` (the sentences a lesson prints are one line each). */
export function lineStarting(text: string, start: string): string {
  const line = text.split('\n').find((l) => l.startsWith(start));
  if (line === undefined) throw new Error(`no printed line starts with "${start}" in:\n${text}`);
  return line;
}

/** The numbers in `text`, in order (a thousands separator is not expected). */
export const numbersIn = (text: string): number[] => [...text.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
