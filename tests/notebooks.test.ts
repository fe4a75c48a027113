// Every lesson runs through real Jupyter and the workbook kernel, within the per-cell and
// per-notebook limits, without an error or stray stderr; a failure names the notebook and the
// cell. The executions themselves happen once per test run, in tests/support/execute-lessons.ts.
// Without Jupyter the notebooks are skipped loudly, except under CI=true.
import { describe, expect, inject, it } from 'vitest';
import path from 'node:path';
import { findRoot, loadLessons } from '../tooling/course';
import { joinText, readNotebook } from '../tooling/notebook';
import { NOTEBOOK_LIMITS } from '../tooling/notebooks/run';

const runs = inject('lessonRuns');
const root = findRoot();
const lessons = loadLessons(root);

if (!runs) {
  const message = '\n!!! Jupyter (python3 with nbclient) was not found: the notebooks were NOT executed.\n!!! Run ./setup, which installs it.\n';
  if (process.env.CI === 'true') {
    it('finds Jupyter to execute the notebooks (required under CI=true)', () => {
      throw new Error(message);
    });
  } else {
    console.warn(message);
  }
}

describe.skipIf(!runs)('lessons execute through the workbook kernel', () => {
  it('finds the lessons', () => expect(lessons.length).toBeGreaterThan(0));

  it.each(lessons.map((lesson) => lesson.file))('%s', (file) => {
    const run = runs?.find((r) => r.notebook === file);
    expect(run, `${file} was not executed`).toBeDefined();
    if (run?.failure) throw new Error(run.failure);
    expect(run?.seconds ?? Infinity).toBeLessThan(NOTEBOOK_LIMITS.notebookSeconds);
  });
});

describe.skipIf(!runs)('every diagram a lesson cell displays is an image, drawn by the workbook kernel', () => {
  it.each(lessons.map((lesson) => lesson.file))('%s', (file) => {
    const run = runs?.find((r) => r.notebook === file);
    if (!run || run.failure) return;
    const calls = readNotebook(path.join(root, file)).cells.filter((cell) => cell.cell_type === 'code' && /\bshowMermaid\(/.test(joinText(cell.source))).length;
    expect(run.diagrams.asSource, 'diagrams shown as mermaid source instead of an image (the note under each says why)').toEqual([]);
    expect(run.diagrams.images, 'SVG images among the outputs (at least one per cell that calls showMermaid)').toBeGreaterThanOrEqual(calls);
  });
});
