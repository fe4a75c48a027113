/** The parts of the Jupyter notebook format (nbformat 4) that the site reads. */

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

export interface Cell {
  cell_type: 'markdown' | 'code' | 'raw';
  id?: string;
  source: MultilineText;
  metadata?: { tags?: string[] };
  outputs?: Output[];
}

export interface Notebook {
  cells: Cell[];
  metadata?: { language_info?: { name?: string } };
}

export function joinText(text: MultilineText): string {
  return Array.isArray(text) ? text.join('') : text;
}

/** How error messages name a cell: "cell 4 (code)", counting every cell from 1 as Jupyter shows them. */
export function cellName(cell: Cell, index: number): string {
  return `cell ${index + 1} (${cell.cell_type}${cell.id ? `, id ${cell.id}` : ''})`;
}
