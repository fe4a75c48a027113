/**
 * The parts of the Jupyter notebook format (nbformat 4) that the workbook's tools read and write.
 * @module
 */
import fs from 'node:fs';

export type MultilineText = string | string[];

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineText;
}

export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface DataOutput {
  output_type: 'display_data' | 'execute_result';
  data: Record<string, MultilineText | object>;
  metadata?: Record<string, unknown>;
}

export type Output = StreamOutput | ErrorOutput | DataOutput;

/**
 * The tag of a code cell whose output is a measurement and differs from run to run (a timing, a
 * throughput, an id a server assigned): the site says so under its output, and
 * tests/notebook-format.test.ts holds the tag to the cells that read a real clock or service.
 */
export const MEASURED_TAG = 'measured';

export interface Cell {
  cell_type: 'markdown' | 'code' | 'raw';
  id?: string;
  source: MultilineText;
  metadata?: { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, string>>;
}

export interface Notebook {
  cells: Cell[];
  metadata?: { kernelspec?: { name?: string; language?: string; display_name?: string }; language_info?: { name?: string } };
}

/** Reads a notebook file. */
export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

export function joinText(text: MultilineText): string {
  return Array.isArray(text) ? text.join('') : text;
}

/** How error messages name a cell: "cell 4 (code)", counting every cell from 1 as Jupyter shows them. */
export function cellName(cell: Cell, index: number): string {
  return `cell ${index + 1} (${cell.cell_type}${cell.id ? `, id ${cell.id}` : ''})`;
}

/** The notebook's text with every code cell's outputs and execution count cleared. */
export function clearOutputs(text: string): string {
  const notebook = JSON.parse(text) as Notebook;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
