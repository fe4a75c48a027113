// Every notebook is committed clean: it names the workbook's kernel and carries no outputs
// (the site and the tests execute notebooks fresh, so stored outputs could only go stale).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot } from '../toolkit/course';
import { listNotebooks } from '../scripts/notebooks/run';

const root = findRoot();

describe.each(listNotebooks(root))('%s', (notebook) => {
  const nb = JSON.parse(fs.readFileSync(path.join(root, notebook), 'utf8'));

  it('runs on the workbook kernel "message-passing-ts"', () => {
    expect(nb.metadata.kernelspec).toMatchObject({ name: 'message-passing-ts', language: 'typescript' });
  });

  it('is committed without outputs or execution counts', () => {
    for (const cell of nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code')) {
      expect(cell.outputs, cell.source.join?.('') ?? cell.source).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });
});
