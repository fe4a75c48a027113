// Every notebook is committed clean: it names the workbook's kernel and carries no outputs
// (the site and the tests execute notebooks fresh, so stored outputs could only go stale); and it
// names the exercises whose record names it, and a lesson with no exercise of its own sends the
// reader to no exercise of a later lesson.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, loadExercises, loadLessons } from '../tooling/course';
import { joinText, readNotebook } from '../tooling/notebook';

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
