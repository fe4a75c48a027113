// Lesson 17's printed conclusions agree with its printed rows: which schema changes keep which
// direction of compatibility, what each reader made of the replayed stream, and what the contract
// test on samples missed that the required lists show. (The cells compute these sentences and check
// what the prose says; this reads the executed lesson and checks the sentences against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '17-schema-evolution';
const BACKWARD = 'new consumer, old message (backward)';
const FORWARD = 'old consumer, new message (forward)';
const STRICT = 'old strict consumer, new message';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('names the changes that keep both directions, one direction, or neither, as the table of changes shows', () => {
    const { table, text } = cellWithColumn(cells, BACKWARD);
    const line = lineStarting(text, 'Both directions hold only for:');
    const reads = (value: string) => value === 'reads';
    const both = table.filter((row) => reads(row[BACKWARD]) && reads(row[FORWARD])).map((row) => row.change);
    expect(line).toContain(`Both directions hold only for: ${both.join('; ')}.`);
    const [backwardOnly] = table.filter((row) => !reads(row[BACKWARD]) && reads(row[FORWARD]));
    const [forwardOnly] = table.filter((row) => reads(row[BACKWARD]) && !reads(row[FORWARD]));
    expect(line).toContain(`"${backwardOnly.change}" breaks backward only, "${forwardOnly.change}" forward only`);
    for (const row of table.filter((r) => r.change.startsWith('rename') || r.change.startsWith('change a type'))) {
      expect([row[BACKWARD], row[FORWARD]].some(reads), `${row.change} breaks both`).toBe(false);
    }
    const strict = table.filter((row) => reads(row[FORWARD]) && !reads(row[STRICT])).map((row) => row.change);
    expect(line).toContain(`The strict consumer also refuses what the tolerant one reads: ${strict.join('; ')}.`);
  });

  it('counts what each reader read of the replayed stream as its row does', () => {
    const { table, text } = cellWithColumn(cells, 'first refusal');
    const counts = (row: Record<string, string>, versions: number[]) =>
      versions.map((v) => row[`v${v} entries read`].split(' of ').map(Number)).reduce(([read, all], [r, a]) => [read + r, all + a], [0, 0]);
    const naive = table.find((row) => row.reader === 'current schema only')!;
    const upcasting = table.find((row) => row.reader === 'upcasting reader')!;
    const [naiveRead, entries] = counts(naive, [1, 2, 3, 4]);
    expect(lineStarting(text, 'Replayed from offset 0')).toContain(`only ${naiveRead} of the ${entries} entries parse with today's schema`);
    expect(naive['first refusal']).toMatch(/^offset 0:/);
    const [upcastRead, known] = counts(upcasting, [1, 2, 3]);
    expect(upcastRead).toBe(known);
    expect(lineStarting(text, 'Replayed from offset 0')).toContain(`The upcasting reader reads all ${upcastRead} entries of versions 1 to 3`);
    expect(upcasting['v4 entries read']).toMatch(/^0 of /);
    expect(upcasting['first refusal']).toContain('newer-version');
  });

  it('says what the samples pass and catch, and the field the required lists add, as the proposals table shows', () => {
    const { table, text } = cellWithColumn(cells, 'contract test on samples');
    const line = lineStarting(text, 'The samples pass');
    const passing = table.filter((row) => row['contract test on samples'] === 'passes').map((row) => row.proposal);
    const caught = table.filter((row) => row['contract test on samples'] === 'fails: backward, forward').map((row) => row.proposal);
    expect(line).toContain(`The samples pass "${passing[0]}" and catch "${caught[0]}" in both directions`);
    expect(line).toContain(`They also pass "${passing[1]}"`);
    const row = table.find((r) => r.proposal === passing[1])!;
    const added = row['required by the proposal'].split(', ').filter((field) => !row['required by v3'].split(', ').includes(field));
    expect(line).toContain(`the proposal requires ${added.join(', ')}, which v3 does not`);
  });
});
