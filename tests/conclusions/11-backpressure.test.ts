// Lesson 11's printed conclusions agree with its printed rows: how the p99 grows below capacity, how
// a busy queue differs from an overloaded one, how closely Little's law held, what each overflow policy
// did under overload, and what too little and too much prefetch cost. (The cells compute these
// sentences and check what the prose says; this reads the executed lesson and checks the sentences
// against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, numbersIn, type CellOutputs, type Table } from '../support/lesson-outputs';

const LESSON = '11-backpressure';
const CAPACITY_PER_SECOND = 100;
const SECONDS = 20;

const column = (table: Table, name: string) => table.map((row) => Number(row[name]));

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('gives the p99 below capacity and the backlog past it as the unbounded rows show', () => {
    const { table, text } = cellWithColumn(cells, `waiting at ${SECONDS} s`);
    const below = table.filter((row) => Number(row['offered load']) < 1);
    const p99s = column(below, 'p99 latency (ms)');
    expect(lineStarting(text, 'Below capacity')).toBe(
      `Below capacity, at loads ${column(below, 'offered load').join(', ')}, the p99 went ${p99s.map((ms) => ms.toFixed(0)).join(' -> ')} ms: ` +
        `${(p99s[p99s.length - 1] / p99s[0]).toFixed(1)} times as long at ${Number(below[below.length - 1]['offered load'])} as at ${Number(below[0]['offered load'])}, with the same worker doing the same work.`,
    );
    expect(p99s.every((ms, i) => i === 0 || ms > p99s[i - 1])).toBe(true);
    const over = table[table.length - 1];
    const excess = (Number(over['offered load']) - 1) * CAPACITY_PER_SECOND;
    expect(lineStarting(text, 'From load')).toContain(`${over[`waiting at ${SECONDS} s`]} requests were still waiting when the arrivals stopped (the excess, ${excess} per second for ${SECONDS} s, is ${excess * SECONDS})`);
  });

  it('tells the busy queue from the overloaded ones as the samples over time show', () => {
    const { table, text } = cellWithColumn(cells, 'waiting at load 0.9');
    const busy = column(table, 'waiting at load 0.9');
    const emptyAt = table.filter((row) => row['waiting at load 0.9'] === '0').map((row) => row.second);
    expect(emptyAt.length).toBeGreaterThan(0);
    expect(lineStarting(text, 'At load 0.9')).toBe(`At load 0.9 the queue came and went: at most ${Math.max(...busy)} waiting in these samples, and none at ${emptyAt.join(' and ')} s.`);
    for (const load of [1.1, 1.5]) {
      const waiting = column(table, `waiting at load ${load}`);
      expect(waiting.every((n) => n > 0), `load ${load}`).toBe(true);
      expect(Number(table[table.length - 1].second)).toBe(SECONDS);
      const excess = Math.round((load - 1) * CAPACITY_PER_SECOND);
      const perSecond = waiting[waiting.length - 1] / SECONDS;
      expect(lineStarting(text, `At load ${load}`)).toBe(`At load ${load} it never emptied and grew by ${perSecond.toFixed(1)} a second on average: the excess is ${excess} a second.`);
      expect(Math.abs(perSecond - excess)).toBeLessThanOrEqual(0.25 * excess);
    }
  });

  it('gives the worst disagreement of Little\'s law as the difference column does, and each difference from its row', () => {
    const { table, text } = cellWithColumn(cells, 'L, counted');
    const differences = table.map((row) => Number(row.difference.replace('%', '')));
    for (const [i, row] of table.entries()) {
      const [L, lambdaW] = [Number(row['L, counted']), Number(row['λ × W'])];
      // Both are printed to two decimals: allow for that rounding.
      expect(Math.abs(differences[i] - (100 * Math.abs(L - lambdaW)) / L), row['offered load']).toBeLessThanOrEqual(100 * (0.01 / L) + 0.05);
    }
    expect(lineStarting(text, 'λ × W and the counted L agree within')).toContain(`within ${Math.max(...differences).toFixed(1)}% in every row`);
    expect(Math.max(...differences)).toBeLessThan(5);
  });

  it('says what each overflow policy did under overload as its rows show', () => {
    const { table, text } = cellWithColumn(cells, 'most in the service queue');
    const at = (load: string, policy: string) => table.find((row) => row['offered load'] === load && row.policy === policy)!;
    const onTime = 'answered within 300 ms';
    const calm = table.filter((row) => row['offered load'] === '0.80');
    const figures = (row: Table[number]) => JSON.stringify({ ...row, policy: '' });
    expect(calm.every((row) => figures(row) === figures(calm[0]))).toBe(true);
    expect(lineStarting(text, 'At load 0.8')).toBe(`At load 0.8 the four policies gave the same figures: at most ${Math.max(...column(calm, 'most waiting'))} requests ever waited, under the bound of 20.`);
    expect(Math.max(...column(calm, 'most waiting'))).toBeLessThan(20);

    const loads = ['1.20', '2'];
    const unbounded = lineStarting(text, 'Unbounded, over capacity');
    for (const load of loads) {
      const row = at(load, 'unbounded');
      const share = Number(row[onTime]) / Number(row.completed);
      expect(unbounded).toContain(`at load ${Number(load)}, ${row[onTime]} of ${row.completed} completed within 300 ms (${(100 * share).toFixed(0)}%)`);
      expect(share).toBeLessThan(0.1);
      expect(row.completed).toBe(row.offered);
    }

    const p99s = (policy: string) => loads.map((load) => Number(at(load, policy)['p99 latency (ms)']).toFixed(0)).join(' -> ');
    const block = loads.map((load) => at(load, 'block'));
    const lost = block.reduce((sum, row) => sum + Number(row.lost), 0);
    expect(lineStarting(text, 'Block lost')).toBe(
      `Block lost ${lost} requests at loads 1.2 and 2 and held at most ${Math.max(...column(block, 'most in the service queue'))} in the service queue, but up to ` +
        `${Math.max(...column(block, 'most waiting'))} waited in all; its p99 (${p99s('block')} ms) is the unbounded queue's (${p99s('unbounded')} ms).`,
    );
    expect(lost).toBe(0);
    expect(Math.max(...column(block, 'most in the service queue'))).toBeLessThanOrEqual(20);
    for (const load of loads) expect(at(load, 'block')[onTime]).toBe(at(load, 'unbounded')[onTime]);

    const dropping = lineStarting(text, 'Dropping lost about the excess');
    for (const load of loads) {
      const excess = Number(at(load, 'unbounded').offered) - CAPACITY_PER_SECOND * SECONDS;
      const [newest, oldest] = [at(load, 'drop newest').lost, at(load, 'drop oldest').lost];
      expect(dropping).toContain(`at load ${Number(load)}, ${newest} (drop newest) and ${oldest} (drop oldest) for an excess of ${excess}`);
      for (const n of [newest, oldest]) expect(Math.abs(Number(n) - excess)).toBeLessThanOrEqual(0.1 * excess);
    }
    expect(dropping).toContain(`the p99 went ${p99s('drop newest')} ms with drop newest and ${p99s('drop oldest')} ms with drop oldest`);

    const [newest, oldest] = [at('2', 'drop newest'), at('2', 'drop oldest')];
    expect(lineStarting(text, 'Drop oldest kept the p99')).toContain(`at ${Number(oldest['p99 latency (ms)']).toFixed(0)} ms against ${Number(newest['p99 latency (ms)']).toFixed(0)} ms for drop newest, for as many losses`);
    expect(Number(oldest['p99 latency (ms)'])).toBeLessThan(Number(newest['p99 latency (ms)']));
    expect(oldest.lost).toBe(newest.lost);
    expect(lineStarting(text, 'At load 2, useful answers')).toBe(`At load 2, useful answers (within 300 ms): ${['unbounded', 'block', 'drop newest', 'drop oldest'].map((p) => `${p} ${at('2', p)[onTime]}`).join(', ')}.`);
  });

  it('finds the best prefetch, and what too little and too much cost, in the prefetch rows', () => {
    const { table, text } = cellWithColumn(cells, 'most held by the slow consumer');
    const p99s = column(table, 'p99 latency (ms)');
    const bestAt = p99s.indexOf(Math.min(...p99s));
    expect(lineStarting(text, 'The p99 by prefetch')).toBe(`The p99 by prefetch: ${table.map((row, i) => `${row.prefetch} ${p99s[i].toFixed(0)} ms`).join(', ')}. Best at prefetch ${table[bestAt].prefetch}.`);
    expect(p99s.every((ms, i) => (i < bestAt ? ms > p99s[i + 1] : i === bestAt || ms > p99s[i - 1]))).toBe(true);

    const one = table[0];
    const starved = lineStarting(text, 'Prefetch 1:');
    const [messages, doneAt, perSecond, published, roundTrip, most] = numbersIn(starved).filter((_, i) => i !== 0);
    expect(doneAt).toBe(Number(Number(one['all done at (s)']).toFixed(1)));
    expect(perSecond).toBe(Math.round(messages / Number(one['all done at (s)'])));
    expect(perSecond).toBeLessThan(published);
    // Two fast consumers (4 ms) and a slow one (40 ms), each waiting a round trip after every message.
    expect(most).toBe(Math.round(2 * (1000 / (4 + roundTrip)) + 1000 / (40 + roundTrip)));

    const unlimited = table[table.length - 1];
    expect(lineStarting(text, 'Unlimited:')).toContain(
      `was dealt ${unlimited['done by the slow consumer']} of the ${messages} messages, held up to ${unlimited['most held by the slow consumer']} at once, and finished at ${Number(unlimited['all done at (s)']).toFixed(1)} s`,
    );
    expect(Math.abs(Number(unlimited['done by the slow consumer']) - messages / 3)).toBeLessThanOrEqual(1);

    const limited = table.slice(0, -1);
    const rule = roundTrip / 4 + 1;
    const covering = limited.find((row) => Number(row.prefetch) >= rule)!;
    expect(lineStarting(text, 'Round trip ÷ work time + 1')).toBe(
      `Round trip ÷ work time + 1 = ${roundTrip} ÷ 4 + 1 = ${rule}: the smallest prefetch tried that covers it, ${covering.prefetch}, had the best p99. ` +
        `The slow consumer held at most ${limited.map((row) => row['most held by the slow consumer']).join(', ')} messages with prefetch ${limited.map((row) => row.prefetch).join(', ')}.`,
    );
    expect(covering).toBe(table[bestAt]);
    for (const row of limited) expect(Number(row['most held by the slow consumer'])).toBeLessThanOrEqual(Number(row.prefetch));
  });
});
