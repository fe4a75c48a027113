// Lesson 14's printed conclusions agree with its printed rows: what each dual write lost or invented,
// seed by seed; that the outbox lost and invented nothing and duplicated one message per relay crash
// after a publish; and what the naive and the inbox consumers shipped. (The cells compute these
// sentences and check what the prose says; this reads the executed lesson and checks the sentences
// against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs, type Table } from '../support/lesson-outputs';

const LESSON = '14-outbox';
const ORDERS_PER_RUN = 100;
const LOST = 'lost (stored, never announced)';
const PHANTOM = 'phantom (announced, never stored)';
const NEITHER = 'neither stored nor announced';

const sum = (rows: Table, column: string) => rows.reduce((total, row) => total + Number(row[column]), 0);
const bySeed = (rows: Table, column: string) => rows.map((row) => row[column]).join(', ');

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('counts what each dual write lost or invented, and its twin rows, as the table shows', () => {
    const { table, text } = cellWithColumn(cells, NEITHER);
    const [commitFirst, publishFirst] = ['commit, then publish', 'publish, then commit'].map((approach) => table.filter((row) => row.approach === approach));
    for (const rows of [commitFirst, publishFirst]) {
      const crashes = sum(rows, 'crashes');
      expect(lineStarting(text, `${rows[0].approach}:`)).toBe(
        `${rows[0].approach}: ${crashes} crashes in ${rows.length * ORDERS_PER_RUN} orders gave ${sum(rows, LOST)} lost and ${sum(rows, PHANTOM)} phantom messages; ` +
          `the other ${crashes - sum(rows, LOST) - sum(rows, PHANTOM)} left nothing behind (${sum(rows, NEITHER)} orders neither stored nor announced).`,
      );
      for (const row of rows) expect(Number(row[LOST]) + Number(row[PHANTOM]) + Number(row[NEITHER]), `${row.approach}, seed ${row.seed}`).toBe(Number(row.crashes));
    }
    expect(commitFirst.every((row) => row[PHANTOM] === '0') && sum(commitFirst, LOST) > 0).toBe(true);
    expect(publishFirst.every((row) => row[LOST] === '0') && sum(publishFirst, PHANTOM) > 0).toBe(true);
    expect(lineStarting(text, 'Seed by seed')).toBe(
      `Seed by seed (${bySeed(commitFirst, 'seed')}), commit-then-publish crashed ${bySeed(commitFirst, 'crashes')} times and lost ${bySeed(commitFirst, LOST)} ` +
        `messages; publish-then-commit crashed ${bySeed(publishFirst, 'crashes')} times and invented ${bySeed(publishFirst, PHANTOM)}.`,
    );
    expect(bySeed(publishFirst, 'seed')).toBe(bySeed(commitFirst, 'seed'));
    expect(bySeed(publishFirst, 'crashes')).toBe(bySeed(commitFirst, 'crashes'));
    expect(bySeed(publishFirst, PHANTOM)).toBe(bySeed(commitFirst, LOST));
  });

  it('gives the outbox\'s losses, phantoms and duplicates as its rows show', () => {
    const { table, text } = cellWithColumn(cells, 'relay crashes after a publish');
    expect(lineStarting(text, 'Outbox:')).toBe(
      `Outbox: ${sum(table, 'order crashes') + sum(table, 'relay crashes')} crashes, ${sum(table, 'lost')} lost and ${sum(table, 'phantom')} phantom messages; ` +
        `${sum(table, 'published more than once')} messages published more than once, after ${sum(table, 'relay crashes after a publish')} relay crashes between a publish and marking the row sent.`,
    );
    for (const row of table) {
      expect(Number(row['orders stored']) + Number(row['order crashes']), `seed ${row.seed}`).toBe(ORDERS_PER_RUN);
      expect([row.lost, row.phantom], `seed ${row.seed}`).toEqual(['0', '0']);
      expect(Number(row['messages published']) - Number(row['published more than once']), `seed ${row.seed}`).toBe(Number(row['orders stored']));
      expect(row['published more than once'], `seed ${row.seed}`).toBe(row['relay crashes after a publish']);
    }
    expect(sum(table, 'published more than once')).toBeGreaterThan(0);
  });

  it('says what each consumer shipped, and what its crashes cost, as the consumers\' rows show', () => {
    const outbox = cellWithColumn(cells, 'relay crashes after a publish').table;
    const { table, text } = cellWithColumn(cells, 'shipped more than once');
    const ofSeed = (seed: string) => outbox.find((row) => row.seed === seed)!;
    for (const consumer of ['naive', 'inbox']) {
      const rows = table.filter((row) => row.consumer === consumer);
      const [crashes, deliveries] = [sum(rows, 'crashes'), sum(rows, 'deliveries')];
      const published = rows.reduce((total, row) => total + Number(ofSeed(row.seed)['messages published']), 0);
      expect(lineStarting(text, `${consumer} consumer:`)).toBe(
        `${consumer} consumer: ${crashes} crashes in ${deliveries} deliveries (${((100 * crashes) / deliveries).toFixed(0)}%), ${deliveries - published} of them redeliveries; ` +
          `${sum(rows, 'shipped once')} orders shipped once, ${sum(rows, 'shipped more than once')} more than once, ${sum(rows, 'never shipped')} never.`,
      );
      for (const row of rows) expect(Number(row.deliveries), `${consumer}, seed ${row.seed}`).toBe(Number(ofSeed(row.seed)['messages published']) + Number(row.crashes));
    }
    const naive = table.filter((row) => row.consumer === 'naive');
    expect(sum(naive, 'shipped more than once')).toBeGreaterThan(0);
    for (const row of naive) {
      expect(Number(row['shipped more than once']), `seed ${row.seed}`).toBeLessThanOrEqual(Number(ofSeed(row.seed)['published more than once']) + Number(row.crashes));
    }
    for (const row of table.filter((r) => r.consumer === 'inbox')) {
      expect([row['shipped once'], row['shipped more than once'], row['never shipped']], `seed ${row.seed}`).toEqual([ofSeed(row.seed)['orders stored'], '0', '0']);
    }
  });
});
