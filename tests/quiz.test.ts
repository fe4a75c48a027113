// The chapter quiz (lessons/quiz.json): valid by the schema in tooling/quiz.ts, and covering every
// section of the syllabus, with several questions on the delivery guarantees and the message patterns.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, LAYOUT } from '../tooling/course';
import { QuizError, validateQuiz, type Quiz, type QuizQuestion } from '../tooling/quiz';

const QUIZ_FILE = path.join(findRoot(), LAYOUT.quiz);

/** The syllabus's sections, in its order (its summary has no questions of its own). */
const SYLLABUS_SECTIONS = [
  'What is message passing?',
  'Synchronous vs asynchronous',
  'Delivery guarantees',
  'The Two Generals problem',
  'Architecture patterns',
  'Implementation',
  'Message patterns',
  'Error handling',
];

const readQuiz = (): unknown => JSON.parse(fs.readFileSync(QUIZ_FILE, 'utf8'));
const textOf = (q: QuizQuestion) => [q.prompt, ...q.choices.map((c) => c.text)].join(' ').toLowerCase();

describe('lessons/quiz.json', () => {
  const quiz: Quiz = validateQuiz(readQuiz());

  it('passes the schema: ids unique and kebab-case, exactly one correct choice each, every choice explained', () => {
    expect(() => validateQuiz(readQuiz())).not.toThrow();
    expect(new Set(quiz.questions.map((q) => q.id)).size).toBe(quiz.questions.length);
    for (const q of quiz.questions) expect(q.choices.filter((c) => c.correct), q.id).toHaveLength(1);
  });

  it('has at least 14 questions', () => {
    expect(quiz.questions.length).toBeGreaterThanOrEqual(14);
  });

  it('files every question under a section of the syllabus', () => {
    for (const q of quiz.questions) expect(SYLLABUS_SECTIONS, q.id).toContain(q.section);
  });

  it.each(SYLLABUS_SECTIONS)('asks about "%s"', (section) => {
    expect(quiz.questions.filter((q) => q.section === section).length).toBeGreaterThanOrEqual(1);
  });

  it('asks several questions on delivery guarantees and on message patterns', () => {
    const count = (section: string) => quiz.questions.filter((q) => q.section === section).length;
    expect(count('Delivery guarantees')).toBeGreaterThanOrEqual(4);
    expect(count('Message patterns')).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['at-most-once', /at-most-once/],
    ['at-least-once', /at-least-once/],
    ['exactly-once', /exactly-once/],
    ['request-response', /request-response/],
    ['fire-and-forget', /fire-and-forget/],
    ['publish-subscribe', /publish-subscribe|pub-sub/],
    ['request-reply', /request-reply/],
  ])('names %s in at least two questions', (_name, pattern) => {
    expect(quiz.questions.filter((q) => pattern.test(textOf(q))).length).toBeGreaterThanOrEqual(2);
  });

  it('explains each choice in its own words (no explanation repeated within a question)', () => {
    for (const q of quiz.questions) {
      const explanations = q.choices.map((c) => c.explanation);
      expect(new Set(explanations).size, q.id).toBe(explanations.length);
    }
  });

  it('is rejected, naming the question, when a question gets a second correct choice or a duplicate id', () => {
    const broken = readQuiz() as Quiz;
    broken.questions[0].choices[1].correct = true;
    broken.questions[2].id = broken.questions[1].id;
    let problems: string[] = [];
    try {
      validateQuiz(broken);
    } catch (error) {
      problems = (error as QuizError).problems;
    }
    expect(problems).toContain(`question "${broken.questions[0].id}" has 2 correct choices; it needs exactly one`);
    expect(problems).toContain(`question "${broken.questions[1].id}": duplicate id`);
  });
});
