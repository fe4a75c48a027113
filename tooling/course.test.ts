// The course's reading order, from the manifest: each lesson, then the exercises that practise it.
import { describe, expect, it } from 'vitest';
import { exerciseTitle, readingOrder, type Exercise, type Lesson } from './course';

const lesson = (number: string): Lesson => ({ number, slug: 'l', id: `${number}-l`, file: `lessons/${number}-l.ipynb`, title: `Lesson ${number}` });
const exercise = (number: string, lessonId: string) => ({ number, id: `${number}-e`, title: 'E', lesson: lessonId }) as Exercise;

describe('readingOrder', () => {
  it('puts each exercise right after the lesson it practises, and exercises of no lesson last', () => {
    const lessons = [lesson('01'), lesson('02'), lesson('03')];
    const exercises = [exercise('01', '02-l'), exercise('02', '01-l'), exercise('03', '99-l'), exercise('04', '02-l')];
    const order = readingOrder({ lessons, exercises }).map((step) => (step.kind === 'lesson' ? `L${step.lesson.number}` : `E${step.exercise.number}`));
    expect(order).toEqual(['L01', 'E02', 'L02', 'E01', 'E04', 'L03', 'E03']);
  });

  it('names an exercise as its README heading does', () => {
    expect(exerciseTitle({ number: '07', title: 'Idempotency keys' })).toBe('Exercise 07: Idempotency keys');
  });
});
