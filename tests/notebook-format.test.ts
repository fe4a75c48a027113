// Every notebook is committed clean: it names the workbook's kernel and carries no outputs
// (the site and the tests execute notebooks fresh, so stored outputs could only go stale).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, loadLessons } from '../tooling/course';
import { joinText, readNotebook } from '../tooling/notebook';

const root = findRoot();

describe.each(loadLessons(root).map((lesson) => lesson.file))('%s', (notebook) => {
  const nb = readNotebook(path.join(root, notebook));

  it('runs on the workbook kernel "message-passing-ts"', () => {
    expect(nb.metadata?.kernelspec).toMatchObject({ name: 'message-passing-ts', language: 'typescript' });
  });

  it('is committed without outputs or execution counts', () => {
    for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
      expect(cell.outputs, joinText(cell.source)).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });
});
