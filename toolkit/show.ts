/**
 * Helpers that let a notebook cell show a diagram or a table instead of raw text.
 *
 * On the workbook's kernel, a diagram is shown as an SVG image, which every notebook viewer
 * displays (Jupyter Notebook and JupyterLab, VS Code, GitHub), with its mermaid source as the
 * plain-text alternative; tables are shown as Markdown. Anywhere else they print Markdown.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { diagramConfig, diagramImage } from './show/diagram-images';

/** What a cell can display: data by MIME type, as Jupyter's display_data message carries it. */
type Bundle = Record<string, string>;

interface KernelDisplay {
  show(data: Bundle, metadata?: Record<string, unknown>): void;
}

/** The display of the running notebook cell, or undefined outside a tslab kernel. */
function kernelDisplay(): KernelDisplay | undefined {
  try {
    // Loaded lazily: tslab is only there, and only ready, inside the notebook kernel. Its public
    // display sends one MIME type per output; an image with a text alternative needs two.
    const load = createRequire(__filename);
    const jupyter = load('tslab/dist/jupyter') as { lastWriteDisplayData: ((message: object, update: boolean) => void) | null };
    const write = jupyter.lastWriteDisplayData;
    if (typeof write !== 'function') return undefined;
    return { show: (data, metadata = {}) => write({ data, metadata, transient: {} }, false) };
  } catch {
    return undefined;
  }
}

const fence = (diagram: string) => '```mermaid\n' + diagram + '\n```';

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The image's alternative text: its `accTitle` if it has one, else what kind of diagram it is. */
function altText(code: string): string {
  const title = /^\s*accTitle:\s*(.+?)\s*$/m.exec(code)?.[1];
  if (title !== undefined) return title;
  const kind = code.split(/\s/)[0] ?? '';
  return `A ${kind === 'sequenceDiagram' ? 'sequence diagram' : 'diagram'} (its mermaid source is this output's text)`;
}

/**
 * Shows a mermaid diagram, for example `network.toMermaid()`: `await showMermaid(...)`.
 *
 * The image is drawn once by a Chromium the kernel starts on the first diagram it has not drawn
 * before, and kept in the workbook's `.cache`; without a Chromium, the cell shows the diagram's
 * mermaid source and one line saying why.
 */
export async function showMermaid(diagram: string): Promise<void> {
  const code = diagram.trim();
  const display = kernelDisplay();
  if (display === undefined) return void console.log(fence(code));
  const config = diagramConfig();
  if (config === 'off') return display.show({ 'text/markdown': fence(code) });
  if (config === undefined) {
    const why = 'diagrams are drawn as images on the workbook kernel (Message Passing), and this is another kernel';
    return display.show({ 'text/markdown': `${fence(code)}\n\n*Shown as source: ${why}.*` });
  }
  try {
    const svg = await diagramImage(code, config);
    // Three forms of one image. HTML, an <img> of the SVG, comes first in every viewer's order: an
    // HTML export (nbconvert 6.5 to 7.14, nbviewer) strips the inside of an inline SVG. The SVG
    // itself serves viewers that take no HTML; the source is the text alternative, and the
    // metadata tells the course site to draw it from its source in its own themes.
    const img = `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" alt="${escapeAttribute(altText(code))}">`;
    display.show({ 'text/html': img, 'image/svg+xml': svg, 'text/plain': code }, { mermaid: true });
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    display.show({ 'text/markdown': `${fence(code)}\n\n*Shown as source, not as an image: ${why}*` });
  }
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
  const markdown = markdownTable(rows, columns);
  const display = kernelDisplay();
  if (display === undefined) console.log(markdown);
  else display.show({ 'text/markdown': markdown });
}

/**
 * Shows rich output: `html` in the viewers that render HTML (Jupyter Notebook and JupyterLab,
 * VS Code), `text` everywhere else and outside the notebook kernel (where it is printed).
 * @param html the output as HTML
 * @param text the same output as plain text
 */
export function showHtml(html: string, text: string): void {
  const display = kernelDisplay();
  if (display === undefined) console.log(text);
  else display.show({ 'text/html': html, 'text/plain': text });
}

/**
 * Checks a conclusion that a lesson's text draws from the run above it, and stops the cell with an
 * explanation when the run does not bear it out, so that the course is never built with a sentence
 * its own table contradicts. A learner who changed the cell's settings (a *Try it*) may well see it
 * stop, and the message says that this is then expected.
 * @param holds whether the run bears the conclusion out
 * @param claim the conclusion in the lesson's words, e.g. "only a timeout shorter than the spread drops slow messages"
 * @throws Error naming the claim, when `holds` is false
 */
export function expectConclusion(holds: boolean, claim: string): void {
  if (holds) return;
  throw new Error(
    `The lesson's text says that ${claim}, and this run does not show it. With the lesson's own settings that is a fault ` +
      'of the lesson, to be reported; if you changed the settings (a Try it), it is what you set out to find: read the numbers above.',
  );
}
