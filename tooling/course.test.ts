// The course's reading order, from the manifest: each lesson, then the exercises that practise it;
// and course.json's repository, which the site links pages to.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exerciseTitle, LAYOUT, loadCourse, ManifestError, readingOrder, type Exercise, type Lesson } from './course';

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

describe("course.json's repository", () => {
  /** The course of a folder whose course.json is `meta`. */
  function courseWith(meta: object) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-test-'));
    try {
      fs.writeFileSync(path.join(root, LAYOUT.courseFile), JSON.stringify({ title: 'A course', ...meta }));
      return loadCourse(root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  it('is absent unless course.json names one', () => {
    expect(courseWith({}).repository).toBeUndefined();
  });

  it('is a GitHub address without ".git" or a trailing slash, on branch main unless another is named', () => {
    expect(courseWith({ repository: { url: 'https://github.com/my-org/course.git' } }).repository).toEqual({ url: 'https://github.com/my-org/course', branch: 'main' });
    expect(courseWith({ repository: { url: 'https://github.com/my-org/course/', branch: 'release/2025' } }).repository).toEqual({ url: 'https://github.com/my-org/course', branch: 'release/2025' });
  });

  it('names the field when the address is not a GitHub repository', () => {
    expect(() => courseWith({ repository: { url: 'https://gitlab.com/my-org/course' } })).toThrow(ManifestError);
    expect(() => courseWith({ repository: { url: 'github.com/my-org/course' } })).toThrow(/repository\.url: expected a GitHub repository address/);
  });
});
