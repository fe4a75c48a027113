// Every notebook is committed clean: it names the workbook's kernel and carries no outputs
// (the site and the tests execute notebooks fresh, so stored outputs could only go stale); and it
// names the exercises whose record names it, and a lesson with no exercise of its own sends the
// reader to no exercise of a later lesson. A code cell whose output is a measurement carries the tag
// "measured" (the site says so under it), and no other cell does.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, loadExercises, loadLessons } from '../tooling/course';
import { joinText, MEASURED_TAG, readNotebook } from '../tooling/notebook';

const root = findRoot();

describe.each(loadLessons(root).map((lesson) => lesson.file))('%s', (notebook) => {
  const nb = readNotebook(path.join(root, notebook));

  it('runs on the workbook kernel "message-passing-ts"', () => {
    expect(nb.metadata?.kernelspec).toMatchObject({ name: 'message-passing-ts', language: 'typescript' });
  });

  it('is committed without outputs or execution counts', () => {
    for (const cell of nb.cells.filter((c) => c.cell_type === 'code')) {
      expect(cell.outputs, joinText(cell.source)).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
  });
});

describe('the exercises a lesson names', () => {
  const lessons = loadLessons(root);
  const exercises = loadExercises(root);
  const textOf = (file: string) => readNotebook(path.join(root, file)).cells.map((cell) => joinText(cell.source)).join('\n');

  it.each(exercises.map((exercise) => [exercise.id, exercise] as const))('exercise %s is named in the lesson its record names', (_id, exercise) => {
    const lesson = lessons.find((l) => l.id === exercise.lesson);
    expect(lesson, `exercise ${exercise.id} names lesson ${exercise.lesson}, which does not exist`).toBeDefined();
    expect(textOf(lesson!.file)).toContain(`\`${exercise.id}\``);
  });

  it('sends the reader of a lesson that no exercise names to no exercise of a later lesson', () => {
    const early = lessons
      .filter((lesson) => !exercises.some((exercise) => exercise.lesson === lesson.id))
      .flatMap((lesson) => {
        const practise = /(\*\*Practise:\*\*|^## Practise)[\s\S]*/m.exec(textOf(lesson.file))?.[0] ?? '';
        return exercises.filter((e) => practise.includes(`\`${e.id}\``) && e.lesson > lesson.id).map((e) => `${lesson.id} sends the reader to ${e.id}, an exercise of ${e.lesson}`);
      });
    expect(early).toEqual([]);
  });
});

/**
 * What makes a code cell's output differ from one run to the next with nothing wrong: each rule is a
 * pattern of the cell's source and the reason. These are the cells two builds were seen to print
 * differently (`npm run lessons:stability` runs every lesson twice and lists the cells whose outputs
 * differ without the tag); every other output is the same in every build, whatever the machine
 * (netsim's virtual clock, fixed seeds, ports and names left out of what is printed).
 */
const MEASUREMENTS: { why: string; found: (source: string) => boolean }[] = [
  {
    why: 'reads the real clock and keeps the reading (a duration, a moment); a reading that only sets or checks a deadline is not one',
    found: (source) => /\b(?:performance\.now|Date\.now)\(\)(?!\s*[+<>])|process\.hrtime/.test(source),
  },
  {
    why: "shows a time measured for it: a reply's elapsedMs, a pending entry's idleMs, a throughput, the Python queue's own timings",
    found: (source) => /\.elapsedMs\b|\.idleMs\b|\bmeasure\w*Throughput\(|message_queue\.py/.test(source),
  },
  {
    why: "shows a Redis stream entry id, which is the server's clock when the entry arrived: in a table of range, pending or groups, or one that append returned (lesson 15's orderIds)",
    found: (source) => (/\.(?:range|pending|groups)\(/.test(source) && /\bid: \w+\.id\b|lastDeliveredId/.test(source)) || /\borderIds\[/.test(source),
  },
  {
    why: 'counts the jobs a real broker gave each of two workers that sleep real time: the split depends on the timing of every delivery',
    found: (source) => source.includes('jobs, slow worker did'),
  },
];

describe('the cells whose output is a measurement', () => {
  const cells = loadLessons(root).flatMap((lesson) =>
    readNotebook(path.join(root, lesson.file))
      .cells.filter((cell) => cell.cell_type === 'code' && !cell.metadata?.tags?.includes('skip-execution'))
      .map((cell, i) => ({ where: `${lesson.file}, code cell ${i + 1}`, source: joinText(cell.source), tagged: cell.metadata?.tags?.includes(MEASURED_TAG) === true })),
  );

  it(`are tagged "${MEASURED_TAG}", each for a reason, and no other cell is`, () => {
    const wrong = cells.flatMap(({ where, source, tagged }) => {
      const reasons = MEASUREMENTS.filter((m) => m.found(source)).map((m) => m.why);
      if (reasons.length > 0 && !tagged) return [`${where} is not tagged "${MEASURED_TAG}", but it ${reasons.join('; and it ')}`];
      if (reasons.length === 0 && tagged) return [`${where} is tagged "${MEASURED_TAG}", but follows no rule of MEASUREMENTS: make its output stable, or add the rule it follows there`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('are found by every rule', () => {
    const unused = MEASUREMENTS.filter((m) => !cells.some((cell) => m.found(cell.source))).map((m) => m.why);
    expect(unused).toEqual([]);
  });
});
