// The chapter quiz (lessons/quiz.json): valid by the schema in tooling/quiz.ts; every question
// names the lesson it tests and a section heading of that lesson, checked against the notebooks;
// every lesson gets several questions, and the topics reviewers asked for get their share; and no
// guessing strategy (the longest choice, the n-th longest, the shortest, a fixed position) scores
// above 35%, over the whole quiz or in any lesson.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, LAYOUT, loadLessons } from '../tooling/course';
import { lessonSections, plainHeading, QuizError, quizCoverageProblems, validateQuiz, type Quiz, type QuizQuestion } from '../tooling/quiz';

const root = findRoot();
const QUIZ_FILE = path.join(root, LAYOUT.quiz);
const lessons = loadLessons(root);
const sectionsOfLessons = lessons.map((lesson) => ({ id: lesson.id, sections: lessonSections(path.join(root, lesson.file)) }));

const readQuiz = (): unknown => JSON.parse(fs.readFileSync(QUIZ_FILE, 'utf8'));
const textOf = (q: QuizQuestion) => [q.prompt, ...q.choices.map((c) => c.text)].join(' ').toLowerCase();

/** The problems validateQuiz reports for `data` (none when it is valid). */
function problemsOf(data: unknown): string[] {
  try {
    validateQuiz(data);
    return [];
  } catch (error) {
    return (error as QuizError).problems;
  }
}

describe('lessons/quiz.json', () => {
  const quiz: Quiz = validateQuiz(readQuiz());
  const about = (lesson: string, section?: string) => quiz.questions.filter((q) => q.lesson === lesson && (section === undefined || q.section === section));

  it('passes the schema: ids unique and kebab-case, exactly one correct choice each, every choice explained', () => {
    expect(problemsOf(readQuiz())).toEqual([]);
    expect(new Set(quiz.questions.map((q) => q.id)).size).toBe(quiz.questions.length);
    for (const q of quiz.questions) expect(q.choices.filter((c) => c.correct), q.id).toHaveLength(1);
  });

  it('names, in every question, a lesson of the course and a section heading of that lesson', () => {
    expect(quizCoverageProblems(quiz, sectionsOfLessons)).toEqual([]);
  });

  it.each(lessons.map((lesson) => lesson.id))('asks at least 3 questions about lesson %s', (lesson) => {
    expect(about(lesson).length).toBeGreaterThanOrEqual(3);
  });

  it('asks several questions on delivery guarantees, message patterns and the real broker', () => {
    expect(about('03-delivery-guarantees').length).toBeGreaterThanOrEqual(4);
    expect(about('06-message-patterns').length).toBeGreaterThanOrEqual(4);
    expect(about('09-real-broker').length).toBeGreaterThanOrEqual(5);
  });

  it('asks at least 3 questions each on idempotency keys and on circuit breakers', () => {
    expect(about('07-error-handling', 'Idempotency keys: making retries safe').length).toBeGreaterThanOrEqual(3);
    expect(about('07-error-handling', 'Circuit breakers').length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['prefetch', /prefetch/],
    ['publisher confirms', /confirm/],
    ['dead letters', /dead-letter/],
    ['redelivery', /redeliver/],
  ])('asks about %s in lesson 09', (_name, pattern) => {
    expect(about('09-real-broker').filter((q) => pattern.test(textOf(q))).length).toBeGreaterThanOrEqual(1);
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

  it('is rejected, naming the question, when a question gets a second correct choice, a duplicate id or a malformed lesson id', () => {
    const broken = readQuiz() as Quiz;
    broken.questions[0].choices[1].correct = true;
    broken.questions[2].id = broken.questions[1].id;
    broken.questions[3].lesson = 'lesson three';
    const problems = problemsOf(broken);
    expect(problems).toContain(`question "${broken.questions[0].id}" has 2 correct choices; it needs exactly one`);
    expect(problems).toContain(`question "${broken.questions[1].id}": duplicate id`);
    expect(problems).toContain(`question "${broken.questions[3].id}": lesson must be a lesson id such as "03-delivery-guarantees"`);
  });

  it('is reported, naming the question, when a question names no lesson, an unknown lesson or a section its lesson does not have', () => {
    const broken = validateQuiz(readQuiz());
    const [noLesson, unknownLesson, wrongSection] = broken.questions;
    delete noLesson.lesson;
    unknownLesson.lesson = '99-no-such-lesson';
    wrongSection.section = 'A heading nobody wrote';
    const problems = quizCoverageProblems(broken, sectionsOfLessons);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(`question "${noLesson.id}" names no lesson`);
    expect(problems[1]).toBe(`question "${unknownLesson.id}": there is no lesson "99-no-such-lesson"`);
    expect(problems[2]).toMatch(new RegExp(`^question "${wrongSection.id}": lesson ${wrongSection.lesson} has no section "A heading nobody wrote"`));
  });
});

/**
 * What a student who does not know the answer scores with a fixed strategy, as a fraction of `questions`.
 * "Longest" means longest by characters of the choice's text; when several choices tie for it the
 * strategy picks one of them at random, so a tie that contains the key counts 1/(number tied).
 * The same holds for the r-th longest (r = 0 is the longest): choices sorted by length, a tie
 * group that spans rank r and contains the key counts 1/(size of the group).
 */
function byLength(questions: QuizQuestion[], rank: number | 'shortest'): number {
  const credit = (q: QuizQuestion) => {
    const lengths = q.choices.map((c) => c.text.length);
    const key = lengths[q.choices.findIndex((c) => c.correct)];
    const sorted = [...lengths].sort((a, b) => b - a);
    const r = rank === 'shortest' ? sorted.length - 1 : rank;
    const first = sorted.indexOf(key);
    const last = sorted.lastIndexOf(key);
    return r >= first && r <= last ? 1 / (last - first + 1) : 0;
  };
  return questions.reduce((sum, q) => sum + credit(q), 0) / questions.length;
}

/** The score of always picking the choice at position `k` (0 = the first). */
const atPosition = (questions: QuizQuestion[], k: number) => questions.filter((q) => q.choices[k]?.correct === true).length / questions.length;

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

describe('lessons/quiz.json cannot be passed by guessing', () => {
  const quiz: Quiz = validateQuiz(readQuiz());
  const MAX = 0.35;
  const scopes: [string, QuizQuestion[]][] = [
    ['the whole quiz', quiz.questions],
    ...lessons.map((lesson): [string, QuizQuestion[]] => [`lesson ${lesson.id}`, quiz.questions.filter((q) => q.lesson === lesson.id)]),
  ];
  const most = Math.max(...quiz.questions.map((q) => q.choices.length));

  it('scores at most 35% by picking the longest choice, over the whole quiz and in each lesson', () => {
    const over = scopes.flatMap(([name, qs]) => {
      const score = byLength(qs, 0);
      return score > MAX ? [`${name}: picking the longest choice scores ${percent(score)} of ${qs.length} questions (at most 35%)`] : [];
    });
    expect(over).toEqual([]);
  });

  it('scores at most 35% by picking the r-th longest or the shortest choice, over the whole quiz and in each lesson', () => {
    const ranks: (number | 'shortest')[] = [...Array.from({ length: most }, (_, r) => r), 'shortest'];
    const over = scopes.flatMap(([name, qs]) =>
      ranks.flatMap((rank) => {
        const score = byLength(qs, rank);
        const what = rank === 'shortest' ? 'the shortest choice' : `the choice of length rank ${rank + 1}`;
        return score > MAX ? [`${name}: picking ${what} scores ${percent(score)} of ${qs.length} questions (at most 35%)`] : [];
      }),
    );
    expect(over).toEqual([]);
  });

  it('scores at most 35% by always picking the choice at position k, for every k, over the whole quiz and in each lesson', () => {
    const over = scopes.flatMap(([name, qs]) =>
      Array.from({ length: most }, (_, k) => k).flatMap((k) => {
        const score = atPosition(qs, k);
        return score > MAX ? [`${name}: picking choice ${'ABCDEFGH'[k]} scores ${percent(score)} of ${qs.length} questions (at most 35%)`] : [];
      }),
    );
    expect(over).toEqual([]);
  });

  it('puts no more than half of a lesson\'s keys at one position', () => {
    const over = lessons.flatMap((lesson) => {
      const qs = quiz.questions.filter((q) => q.lesson === lesson.id);
      const counts = new Map<number, number>();
      for (const q of qs) {
        const k = q.choices.findIndex((c) => c.correct);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      return [...counts].filter(([, n]) => n > qs.length / 2).map(([k, n]) => `lesson ${lesson.id}: ${n} of its ${qs.length} keys are choice ${'ABCDEFGH'[k]}`);
    });
    expect(over).toEqual([]);
  });

  it('gives no question two identical choices, and every choice an explanation', () => {
    const faults = quiz.questions.flatMap((q) => {
      const texts = q.choices.map((c) => c.text.trim().replace(/\s+/g, ' ').toLowerCase());
      const repeated = texts.filter((t, i) => texts.indexOf(t) !== i).map((t) => `question "${q.id}" (lesson ${q.lesson}) repeats the choice "${t}"`);
      const unexplained = q.choices.flatMap((c, i) => (c.explanation.trim() === '' ? [`question "${q.id}" (lesson ${q.lesson}): choice ${i + 1} has no explanation`] : []));
      return [...repeated, ...unexplained];
    });
    expect(faults).toEqual([]);
  });

  it('measures the strategies as documented: ties count 1/(number tied), and a position past the choices never scores', () => {
    const question = (lengths: number[], key: number): QuizQuestion => ({
      id: 'q',
      section: 's',
      prompt: 'p',
      choices: lengths.map((n, i) => ({ text: 'x'.repeat(n), correct: i === key, explanation: 'e' })),
    });
    expect(byLength([question([5, 5, 3, 1], 0)], 0)).toBe(0.5);
    expect(byLength([question([5, 5, 3, 1], 1)], 1)).toBe(0.5);
    expect(byLength([question([9, 5, 3, 1], 0)], 0)).toBe(1);
    expect(byLength([question([9, 5, 3, 1], 3)], 'shortest')).toBe(1);
    expect(byLength([question([9, 5, 3, 1], 2), question([1, 2, 3, 9], 3)], 0)).toBe(0.5);
    expect(atPosition([question([1, 2, 3], 2), question([1, 2, 3, 4], 1)], 2)).toBe(0.5);
    expect(atPosition([question([1, 2, 3], 2)], 4)).toBe(0);
  });
});

describe('lesson sections as the quiz names them', () => {
  it('drops emphasis and code marks from a heading', () => {
    expect(plainHeading('Why exactly-once *delivery* is impossible')).toBe('Why exactly-once delivery is impossible');
    expect(plainHeading('Request-reply with `replyTo` and `correlationId`')).toBe('Request-reply with replyTo and correlationId');
  });

  it('reads ## and deeper headings, not the title and not lines inside code blocks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiz-sections-'));
    const file = path.join(dir, 'lesson.ipynb');
    const markdown = ['# Lesson 99 · Title', '## First *section*', '```sh', '## a shell comment, not a heading', '```', '### A `sub` section'].join('\n');
    fs.writeFileSync(file, JSON.stringify({ cells: [{ cell_type: 'markdown', source: markdown }] }));
    try {
      expect(lessonSections(file)).toEqual(['First section', 'A sub section']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the sections of every lesson', () => {
    for (const { id, sections } of sectionsOfLessons) {
      expect(sections.length, id).toBeGreaterThan(2);
      expect(sections.some((s) => s.startsWith('Lesson ')), id).toBe(false);
    }
    const errorHandling = sectionsOfLessons.find((l) => l.id === '07-error-handling')?.sections ?? [];
    expect(errorHandling).toEqual(expect.arrayContaining(['Circuit breakers', 'How many attempts? Say which you mean']));
  });
});
