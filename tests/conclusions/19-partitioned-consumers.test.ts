// Lesson 19's printed conclusions agree with its printed rows: the keys each hashing moved (in
// TypeScript, and through RabbitMQ's consistent-hash exchange), the partitions each assignor moved,
// what each store did with the writes of paused consumers, and the moment a paused consumer woke up. (The cells compute these sentences and check what the prose
// says; this reads the executed lesson and checks the sentences against the tables.)
import { beforeAll, describe, expect, it } from 'vitest';
import { cellWithColumn, lessonOutputs, lessonRan, lineStarting, type CellOutputs } from '../support/lesson-outputs';

const LESSON = '19-partitioned-consumers';
const percent = (text: string) => Number(text.replace('%', '')) / 100;

describe.skipIf(!lessonRan(LESSON))(`lesson ${LESSON}: the printed conclusions follow from the printed rows`, () => {
  let cells: CellOutputs[] = [];
  beforeAll(async () => {
    cells = await lessonOutputs(LESSON);
  });

  it('says how many keys each hashing moved as the hashing table shows', () => {
    const { table, text } = cellWithColumn(cells, 'keys moved, ring');
    expect(table.every((row) => percent(row['keys moved, modulo']) > 0.5)).toBe(true);
    expect(table.every((row) => percent(row['keys moved, ring']) < 2 * percent(row['least that must move']))).toBe(true);
    expect(lineStarting(text, 'Modulo moved')).toContain(`Modulo moved ${table.map((row) => row['keys moved, modulo']).join(', ')} of the keys; the ring ${table.map((row) => row['keys moved, ring']).join(', ')}`);
    const spread = (column: string) => Math.max(...table.map((row) => Number(row[column].replace('×', ''))));
    expect(lineStarting(text, "The ring's price")).toBe(`The ring's price: its busiest consumer holds up to ${spread('busiest consumer, ring').toFixed(2)} times a fair share, against ${spread('busiest consumer, modulo').toFixed(2)} with modulo.`);
  });

  it('says how many keys RabbitMQ moved, and modulo would have, as the RabbitMQ table shows', () => {
    const { table, text } = cellWithColumn(cells, 'keys moved, 3 → 4');
    const [rabbit, modulo] = ['RabbitMQ x-consistent-hash', 'modulo (above)'].map((name) => table.find((row) => row.hashing === name)!);
    const keys = rabbit['keys per queue, 3 queues'].split(' / ').reduce((sum, n) => sum + Number(n), 0);
    const perQueueAfter = rabbit['keys per queue, 4 queues'].split(' / ').map(Number);
    expect(perQueueAfter).toHaveLength(4);
    expect(perQueueAfter.reduce((sum, n) => sum + n, 0)).toBe(keys);
    expect(perQueueAfter[3]).toBe(Number(rabbit['keys moved, 3 → 4'])); // every key that moved went to the new queue
    expect(percent(rabbit['share moved'])).toBeLessThan(2 * percent(rabbit['least that must move']));
    expect(percent(modulo['share moved'])).toBeGreaterThan(0.5);
    expect(lineStarting(text, 'RabbitMQ moved')).toBe(`RabbitMQ moved ${rabbit['keys moved, 3 → 4']} of ${keys} keys (${rabbit['share moved']}) when a 4th queue was bound, all of them to the new queue; modulo would have moved ${modulo['keys moved, 3 → 4']} (${modulo['share moved']}).`);
  });

  it('counts the partitions each assignor moved as the assignment table shows', () => {
    const { table, text } = cellWithColumn(cells, 'moved, sticky');
    expect(table.every((row) => row['moved, sticky'] === row['least possible'])).toBe(true);
    const total = (column: string) => table.slice(1).reduce((sum, row) => sum + Number(row[column]), 0);
    expect(lineStarting(text, 'Over the')).toBe(`Over the ${table.length - 1} changes after the first join, round-robin afresh moved ${total('moved, round-robin')} partitions, the sticky assignor ${total('moved, sticky')}, the least possible at every change.`);
    expect(total('moved, round-robin')).toBeGreaterThan(2 * total('moved, sticky'));
  });

  it('says what each store did as the group table shows', () => {
    const { table, text } = cellWithColumn(cells, 'stale writes accepted');
    const [none, one, perPartition] = ['no fence', 'one fence for the store', 'a fence per partition'].map((name) => table.find((row) => row['the store'] === name)!);
    expect(lineStarting(text, 'No fence:')).toBe(`No fence: ${none['stale writes accepted']} stale writes accepted, ${none['records applied twice']} records applied twice.`);
    expect(Number(none['stale writes accepted'])).toBeGreaterThan(0);
    expect(Number(none['records applied twice'])).toBeGreaterThan(Number(none['stale writes accepted']));
    expect(lineStarting(text, 'One fence for the store:')).toContain(`${one['other writes refused']} writes that were not stale refused, ${one['records never applied']} of`);
    expect(Number(one['records never applied'])).toBeGreaterThan(0);
    expect(lineStarting(text, 'A fence per partition:')).toBe(`A fence per partition: ${perPartition['stale writes refused']} stale writes refused, none accepted, every record applied once.`);
    expect([perPartition['stale writes accepted'], perPartition['other writes refused'], perPartition['records applied twice'], perPartition['records never applied']]).toEqual(['0', '0', '0', '0']);
  });

  it('names the writes the woken consumer sent and who had written there, as the trace shows', () => {
    const { table, text } = cellWithColumn(cells, "store's answer");
    const zombie = table.filter((row) => row.writer === 'c2');
    const others = table.filter((row) => row.writer !== 'c2');
    expect(zombie.length).toBeGreaterThan(0);
    expect(zombie.every((row) => row["store's answer"] === 'refused')).toBe(true);
    expect(zombie.every((z) => others.some((o) => o.partition === z.partition && Number(o.token) > Number(z.token)))).toBe(true);
    expect(lineStarting(text, 'c2 woke at')).toContain(`sent ${zombie.length} writes with the token it held before its pause (${[...new Set(zombie.map((row) => row.token))].join(' and ')})`);
    expect(lineStarting(text, 'c2 woke at')).toContain(`${[...new Set(others.map((row) => row.writer))].join(' and ')} had written those partitions meanwhile`);
  });
});
