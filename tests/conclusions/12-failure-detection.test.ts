// Lesson 12's printed conclusions agree with its printed rows and its diagram: when the monitor
// suspected the crash, how the adaptive detector compares with the fixed timeouts' curve, and how
// long the majority was without a leader. (The cells compute these sentences and check what the
// prose says; this reads the executed lesson and checks the sentences against what it showed.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '12-failure-detection';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('prints the moments of the first run that its diagram draws', () => {
    const cell = cells.find((c) => c.text.startsWith('crashed at'))!;
    const match = /^crashed at ([\d.]+) ms; the monitor suspected it at ([\d.]+) ms, ([\d.]+) ms later \((less|no less) than its (\d+) ms timeout\), and its alert reached alerts at ([\d.]+) ms/.exec(cell.text);
    expect(match, cell.text).not.toBeNull();
    const [crashed, suspected, detection, , timeout, reached] = match!.slice(1).map(Number);
    expect(match![4]).toBe(detection < timeout ? 'less' : 'no less');
    expect(Math.abs(detection - (suspected - crashed))).toBeLessThanOrEqual(0.1);
    const [diagram] = cell.diagrams;
    expect(diagram).toContain(`Note over worker: t=${crashed} crash`);
    expect(diagram).toContain(`monitor->>alerts: t=${reached.toFixed(1)} worker suspected`);
  });

  it('compares each adaptive row with the fixed curve as the table reads, and reads the curve off the fixed rows', () => {
    const fixed = cells.flatMap((cell) => cell.tables).find((t) => t.length > 0 && t.every((row) => String(row.detector).startsWith('fixed')))!;
    const { table, text } = cellWithColumn(cells, 'fixed curve: false suspicions per hour');
    const jittery = table.filter((row) => row.environment === 'jittery' && row['fixed curve: false suspicions per hour'] !== '');
    const curve = fixed.filter((row) => row.environment === 'jittery' && row.detector.startsWith('fixed'));
    const sentence = lineStarting(text, 'On the jittery network');
    const above = jittery.filter((row) => Number(row['false suspicions per hour']) > Number(row['fixed curve: false suspicions per hour']));
    expect(sentence).toContain(`${above.length} of the ${jittery.length} adaptive rows suspected the live worker more often`);
    for (const row of jittery) {
      const detection = Number(row['mean detection (ms)']);
      const upper = curve.findIndex((r) => Number(r['mean detection (ms)']) >= detection);
      const [a, b] = [curve[upper - 1], curve[upper]];
      const share = (detection - Number(a['mean detection (ms)'])) / (Number(b['mean detection (ms)']) - Number(a['mean detection (ms)']));
      const expected = Number(a['false suspicions per hour']) + share * (Number(b['false suspicions per hour']) - Number(a['false suspicions per hour']));
      expect(Math.abs(Number(row['fixed curve: false suspicions per hour']) - expected), row.detector).toBeLessThanOrEqual(0.5);
      expect(sentence).toContain(`${row.detector}: ${row['false suspicions per hour']} against ${Number(row['fixed curve: false suspicions per hour']).toFixed(0)} per hour`);
    }
  });

  it('gives the majority\'s time without a leader as its row does, about one lease', () => {
    const { table, text } = cellWithColumn(cells, 'a majority can elect from (ms)');
    const safe = table.find((row) => row.followers === 'honour the lease')!;
    const partitionAt = Number(/^Partition at (\d+) ms/m.exec(text)?.[1]);
    const match = /no leader it could reach for (\d+) ms after the partition: the followers' promise ran for the (\d+) ms lease/.exec(lineStarting(text, 'Honouring the lease, the majority side'));
    expect(match).not.toBeNull();
    const [leaderless, lease] = match!.slice(1).map(Number);
    expect(leaderless).toBe(Number(safe['a majority can elect from (ms)']) - partitionAt);
    expect(leaderless).toBeLessThanOrEqual(lease + 10);
    expect(leaderless).toBeGreaterThan(lease / 2);
    expect(safe['two leaders for (ms)']).toBe('0');
  });
});
