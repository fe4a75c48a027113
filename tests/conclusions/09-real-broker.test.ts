// Lesson 09's printed conclusions on publisher confirms agree with its printed rounds: each
// comparison counts the rounds one row won, from the table's round-by-round column, and the sentence
// on what confirms cost says what those rounds and ranges show. (The measurement varies between
// runs and machines; what may not vary is that the sentences agree with the rows printed with them.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '09-real-broker';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rounds`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });
  const confirms = () => {
    const { table, text } = cellWithColumn(cells, 'each round, in order');
    const rounds = new Map(table.map((row) => [row.setting, row['each round, in order'].split(', ').map(Number)]));
    const median = new Map(table.map((row) => [row.setting, Number(row['median messages/s'])]));
    return { table, text, rounds, median };
  };

  it('shows each row\'s median and range from its rounds', () => {
    const { table, rounds } = confirms();
    for (const row of table) {
      const sorted = [...rounds.get(row.setting)!].sort((a, b) => a - b);
      expect(Number(row['median messages/s']), row.setting).toBe(sorted[Math.floor(sorted.length / 2)]);
      expect(row['slowest – fastest run'], row.setting).toBe(`${sorted[0]} – ${sorted[sorted.length - 1]}`);
    }
  });

  it('counts, in every comparison, the rounds each row won as the round-by-round column shows', () => {
    const { text, rounds, median } = confirms();
    const comparisons = text.split('\n').filter((line) => line.startsWith('"'));
    expect(comparisons).toHaveLength(3);
    for (const line of comparisons) {
      const [a, b] = [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      const [runsA, runsB] = [rounds.get(a)!, rounds.get(b)!];
      if (runsA.some((rate, round) => rate === runsB[round])) continue; // a tie after rounding: the rows cannot tell
      const won = runsA.filter((rate, round) => rate > runsB[round]).length;
      const ratio = median.get(a)! / median.get(b)!;
      if (won === runsA.length) expect(line).toMatch(new RegExp(`was faster than "${b}" in all ${won} rounds`));
      else if (won === 0) expect(line).toMatch(new RegExp(`was slower than "${b}" in all ${runsA.length} rounds`));
      else expect(line).toContain(`no consistent difference; "${a}" was faster in ${won} of ${runsA.length} rounds`);
      const printed = Number(/medians ([\d.]+)×/.exec(line)?.[1]);
      expect(Math.abs(printed - (won === 0 ? 1 / ratio : ratio)) / printed, line).toBeLessThan(0.06);
    }
  });

  it('says what confirms with many in flight cost from the rounds they won and the two rows\' ranges', () => {
    const { text, rounds } = confirms();
    const [withConfirms, without] = [rounds.get('confirms, many in flight')!, rounds.get('no confirms')!];
    const won = withConfirms.filter((rate, round) => rate > without[round]).length;
    const line = lineStarting(text, 'So here');
    const range = (runs: number[]) => `${Math.min(...runs)}–${Math.max(...runs)} messages/s`;
    expect(line).toContain(`(${range(withConfirms)} against ${range(without)})`);
    if (won === withConfirms.length) expect(line).toContain('cost nothing measurable');
    else if (won === 0) expect(line).toContain('did cost throughput');
    else {
      const overlap = Math.min(...withConfirms) <= Math.max(...without) && Math.min(...without) <= Math.max(...withConfirms);
      expect(line).toContain(`won ${won} of ${withConfirms.length} rounds`);
      expect(line).toContain(overlap ? ') overlap.' : ') do not overlap.');
    }
  });
});
