// Lesson 18's printed conclusions agree with its printed rows: how each orchestrator's sagas ended
// over crashes at every step, the half-done states the crashes left, and what recovery sent again.
// (The cells compute these sentences and check what the prose says; this reads the executed lesson
// and checks the sentences against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '18-sagas';

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('counts how each orchestrator ended its crashed sagas as the crash table shows', () => {
    const { table, text } = cellWithColumn(cells, 'nothing done');
    const [memory, after, manager] = ['in memory', 'logs each reply after it', 'logs each command before it (process manager)'].map((name) => table.find((row) => row.orchestrator === name)!);
    const n = (row: Record<string, string>, column: string) => Number(row[column]);
    expect(lineStarting(text, 'In memory:')).toBe(
      `In memory: ${memory.stuck} of ${memory['crash points']} crash points left the saga stuck; it ended completed or compensated only at the ${n(memory, 'completed') + n(memory, 'compensated')} points just after its last operation.`,
    );
    expect(n(memory, 'an effect twice')).toBe(0);
    expect(n(after, 'stuck')).toBe(0);
    expect(lineStarting(text, 'Logging each reply after it:')).toContain(`no saga stuck, but ${after['an effect twice']} of ${after['crash points']} crash points applied an effect twice`);
    expect(n(after, 'an effect twice')).toBeGreaterThan(0);
    expect(lineStarting(text, 'The process manager:')).toBe(
      `The process manager: ${manager.completed} completed and ${manager.compensated} compensated of ${manager['crash points']}, ${manager['nothing done']} with nothing done (a crash before its first log entry), none stuck and none twice.`,
    );
    expect([manager.stuck, manager['an effect twice']]).toEqual(['0', '0']);
    for (const row of table) {
      expect(['completed', 'compensated', 'nothing done', 'stuck', 'an effect twice'].reduce((sum, column) => sum + n(row, column), 0), `${row.orchestrator}: every crash point has one ending`).toBe(n(row, 'crash points'));
    }
  });

  it('counts the half-done states as the states table shows', () => {
    const { table, text } = cellWithColumn(cells, 'what took effect, in order');
    const stuck = table.filter((row) => row.ending === 'stuck');
    const charged = stuck.filter((row) => row['what took effect, in order'].includes('charge-card done') && !row['what took effect, in order'].includes('charge-card undone'));
    const twice = table.filter((row) => row.ending === 'an effect twice');
    expect(stuck.every((row) => row.orchestrator === 'in memory')).toBe(true);
    expect(twice.every((row) => row.orchestrator === 'logs each reply after it')).toBe(true);
    expect(lineStarting(text, 'The in-memory orchestrator left')).toBe(
      `The in-memory orchestrator left ${stuck.length} different half-done states, ${charged.length} of them with the card charged and never refunded; logging after acting left ${twice.length} states with an effect applied twice.`,
    );
  });

  it('names the command recovery sent again and the reply it got, as the trace shows', () => {
    const { table, text } = cellWithColumn(cells, 'outcome');
    const sends = table.filter((row) => row.what.startsWith('send charge-card action'));
    expect(sends.map((row) => row.process)).toEqual(['first', 'recovery']);
    expect(sends[0].outcome).toBe('done, then a crash');
    expect(lineStarting(text, 'Recovery sent')).toContain(`Recovery sent "${sends[1].what}" again`);
    expect(lineStarting(text, 'Recovery sent')).toContain(`the service answered "${sends[1].outcome}"`);
  });
});
