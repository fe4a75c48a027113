// Lesson 15's printed conclusion on trimming agrees with its printed rows: the trim ignored the
// groups, so the slow group never saw the trimmed entries it had not read, and nothing reported it.
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '15-streams';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('counts what the slow group lost to the trim as its row does', () => {
    const { table, text } = cellWithColumn(cells, 'never seen');
    const [fast, slow] = ['fast', 'slow'].map((group) => table.find((row) => row.group === group)!);
    const match = /^the trim removed (\d+) entries; the slow group never saw (\d+) of them, and no call reported it/m.exec(text);
    expect(match, text).not.toBeNull();
    const [trimmed, lost] = match!.slice(1).map(Number);
    expect(lost).toBe(Number(slow['never seen']));
    expect(lost).toBe(Math.max(0, trimmed - Number(slow['read before the trim'])));
    expect(fast['never seen']).toBe('0');
    expect(lineStarting(text, 'the trim removed')).toContain('no call reported it');
  });
});
