// Lesson 10's printed conclusions agree with its printed rows: the hot key's overload, and how long
// the reorder buffer holds a message back. (The cells compute these sentences and check what the
// prose says; this reads the executed lesson and checks the sentences against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '10-ordering';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('says the hot key overloads its worker exactly when its row shows a load above 1, with the row\'s figures', () => {
    const { table, text } = cellWithColumn(cells, 'busiest worker load');
    const hot = table.find((row) => row.keys.includes('hot'))!;
    const even = table.find((row) => row.routing === 'by key' && !row.keys.includes('hot'))!;
    const free = table.find((row) => row.routing === 'next free worker')!;
    const sentence = lineStarting(text, 'With one hot key');
    const load = Number(hot['busiest worker load']);
    const percent = Number(/was given (\d+)% of the work/.exec(sentence)?.[1]);
    expect(Math.abs(percent - 100 * load)).toBeLessThanOrEqual(1);
    expect(sentence.includes('it is overloaded')).toBe(load > 1);
    if (load > 1) {
      expect(sentence).toContain(`(to ${hot['longest backlog']} waiting)`);
      expect(sentence).toContain(`the p99 of ${(Number(hot['p99 latency (ms)']) / 1000).toFixed(1)} s`);
      expect(Math.abs(Number(/even keys: (\d+)%/.exec(sentence)?.[1]) - 100 * Number(even['busiest worker load']))).toBeLessThanOrEqual(1);
    }
    expect(lineStarting(text, 'By key:')).toContain(`p99 ${Number(free['p99 latency (ms)']).toFixed(0)} ms -> ${Number(even['p99 latency (ms)']).toFixed(0)} ms`);
  });

  it('gives the longest hold of the patient buffer as in its row: the timeout plus no more than the delay spread', () => {
    const { table, text } = cellWithColumn(cells, 'max added delay (ms)');
    const roomy = table.filter((row) => row['max held'] === '1000');
    const patient = roomy.find((row) => row['dropped as too late'] === '0')!;
    expect(lineStarting(text, 'Without a buffer')).toContain(`the shortest timeout that dropped none was ${patient['gap timeout (ms)']} ms`);
    const match = /With the (\d+) ms timeout the longest hold was ([\d.]+) ms: the timeout plus ([\d.]+) ms, within the (\d+) ms delay spread/.exec(lineStarting(text, 'With the '));
    expect(match, 'the sentence on the longest hold').not.toBeNull();
    const [timeout, longest, extra, spread] = match!.slice(1).map(Number);
    expect(timeout).toBe(Number(patient['gap timeout (ms)']));
    expect(Math.abs(longest - Number(patient['max added delay (ms)']))).toBeLessThanOrEqual(0.06);
    expect(Math.abs(extra - (longest - timeout))).toBeLessThanOrEqual(0.06);
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(spread);
    for (const row of roomy) expect(Number(row['max added delay (ms)'])).toBeLessThanOrEqual(Number(row['gap timeout (ms)']) + spread);
  });
});
