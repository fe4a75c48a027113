/**
 * Helpers that let a notebook cell show a diagram or a table instead of raw text.
 *
 * In the Jupyter kernel they display Markdown (JupyterLab renders ```` ```mermaid ```` blocks as
 * diagrams, and the course site pre-renders them to SVG); anywhere else they print the Markdown.
 *
 * @module
 */
import { createRequire } from 'node:module';

type TslabDisplay = { markdown(text: string): void };

function displayMarkdown(markdown: string): void {
  try {
    // Loaded lazily: tslab is only there, and only ready, inside the notebook kernel.
    const tslab = createRequire(__filename)('tslab') as { display: TslabDisplay };
    tslab.display.markdown(markdown);
  } catch {
    console.log(markdown);
  }
}

/** Shows a mermaid diagram, for example `network.toMermaid()`. */
export function showMermaid(diagram: string): void {
  displayMarkdown('```mermaid\n' + diagram.trim() + '\n```');
}

/** One row of a table: column name to value. */
export type Row = Record<string, string | number | boolean | null | undefined>;

function cell(value: Row[string]): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : String(value);
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Formats rows as a Markdown table; columns default to the keys of the first row. */
export function markdownTable(rows: Row[], columns: string[] = Object.keys(rows[0] ?? {})): string {
  const header = `| ${columns.join(' | ')} |`;
  const rule = `| ${columns.map((c) => (typeof rows[0]?.[c] === 'number' ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((row) => `| ${columns.map((c) => cell(row[c])).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** Shows rows as a table. */
export function showTable(rows: Row[], columns?: string[]): void {
  displayMarkdown(markdownTable(rows, columns));
}
