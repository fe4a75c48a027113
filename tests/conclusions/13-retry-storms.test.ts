// Lesson 13's printed conclusions agree with its printed rows: when each client's goodput came back
// after the stall and which later dips it had, how long the naive storm lasted and why it ended, and
// why the clients that honour Retry-After got less done in the stall window. (The cells compute these
// sentences and check what the prose says; this reads the executed lesson and checks the sentences
// against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '13-retry-storms';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });
  const stall = () => cellWithColumn(cells, 'refusing every second until (s)');
  /** The offered rate, as the sentence on the naive storm prints it. */
  const offered = () => Number(/(\d+) new requests per second/.exec(lineStarting(stall().text, 'The naive clients kept'))?.[1]);

  it('says when each client was back, and which later dips it had, as the goodput windows show', () => {
    const { table, text } = cellWithColumn(cells, 'seconds');
    const normal = 0.9 * offered();
    const policies = Object.keys(table[0]).filter((column) => column !== 'seconds');
    const startOf = (row: Record<string, string>) => Number(row.seconds.split('-')[0]);
    const after = table.filter((row) => startOf(row) >= 11); // windows that start after the one-second stall at 10 s
    for (const policy of policies) {
      const recovered = after.find((row) => Number(row[policy]) >= normal);
      const line = lineStarting(text, `${policy}: `);
      if (!recovered) {
        expect(line).toContain('not back within the minute');
        continue;
      }
      expect(line).toContain(`back to 90% of the offered rate in the window starting at ${startOf(recovered)} s`);
      const dips = after.filter((row) => startOf(row) > startOf(recovered) && Number(row[policy]) < normal);
      expect(line.match(/later a dip/g)?.length ?? 0, line).toBe(dips.length);
      for (const dip of dips) expect(line).toContain(`later a dip to ${Number(dip[policy]).toFixed(1)}/s in ${dip.seconds} s`);
    }
  });

  it('gives the naive storm\'s length and the margin that ended it as the stall table and the settings show', () => {
    const { table, text } = stall();
    const naive = table.find((row) => row.policy.startsWith('naive'))!;
    const line = lineStarting(text, 'The naive clients kept');
    const match = /refusing until (\d+) s, (\d+) s after the stall, and then the storm ended by itself: (\d+) new requests per second with up to (\d+) attempts each make at most (\d+) attempts per second on average, (fewer|no fewer) than the (\d+)/.exec(line);
    expect(match, line).not.toBeNull();
    const [until, lasted, perSecond, attempts, storm, , canRead] = match!.slice(1).map(Number);
    expect(until).toBe(Number(naive['refusing every second until (s)']));
    expect(lasted).toBe(until - 11);
    expect(storm).toBe(perSecond * attempts);
    expect(match![6]).toBe(storm < canRead ? 'fewer' : 'no fewer');
  });

  it('explains the Retry-After clients\' stall window with their row and the row without retries', () => {
    const { table, text } = stall();
    const polite = table.find((row) => row.policy === 'honours Retry-After')!;
    const none = table.find((row) => row.policy === 'no retries')!;
    const line = lineStarting(text, 'In the stall window');
    expect(line).toContain(`retried ${polite['retries after a timeout']} timed-out attempts and ${polite['retries after a 503']} refused ones`);
    expect(line).toContain(`spent ${Number(polite['seconds spent refusing']).toFixed(1)} s of the window refusing ${polite['attempts refused']} attempts`);
    expect(line).toContain(`(without retries: ${Number(none['seconds spent refusing']).toFixed(1)} s)`);
    expect(line).toContain(`served ${Number(polite['goodput (per s)'])}/s against ${Number(none['goodput (per s)'])}/s`);
    expect(line).toContain(`stopped refusing at ${polite['refusing every second until (s)']} s`);
    expect(Number(polite['goodput (per s)'])).toBeLessThan(Number(none['goodput (per s)']));
  });
});
