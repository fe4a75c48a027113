/**
 * The chapter quiz's data format and its validator. The questions live in `lessons/quiz.json`;
 * the site renders them and a test validates them with {@link validateQuiz}, and checks with
 * {@link quizCoverageProblems} that each question names a lesson and one of that lesson's sections.
 *
 * @module
 */
import { joinText, readNotebook } from './notebook';

/** One answer a student can choose. */
export interface QuizChoice {
  text: string;
  /** Exactly one choice of a question is correct. */
  correct: boolean;
  /** Why this choice is right, or why it is wrong. Shown after the student answers. */
  explanation: string;
}

/** One multiple-choice question. */
export interface QuizQuestion {
  /** Unique, stable, kebab-case id, e.g. "at-least-once-duplicates". */
  id: string;
  /**
   * The lesson it tests, as a lesson id (`NN-slug`, e.g. "03-delivery-guarantees"). The course's
   * quiz gives one for every question; the format allows a quiz without lessons.
   */
  lesson?: string;
  /**
   * The section it tests. With a `lesson`: the text of one of that lesson's headings, without
   * markdown marks (e.g. "The two building blocks").
   */
  section: string;
  /** The question, in Markdown. */
  prompt: string;
  choices: QuizChoice[];
}

/** The whole quiz file. */
export interface Quiz {
  title: string;
  questions: QuizQuestion[];
}

/** Thrown by {@link validateQuiz}; `problems` lists every fault found, each naming its question. */
export class QuizError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid quiz data:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'QuizError';
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const LESSON_ID = /^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Checks quiz data and returns it typed.
 * @throws QuizError naming each bad question (by id, or by position when the id is missing).
 */
export function validateQuiz(data: unknown): Quiz {
  const problems: string[] = [];
  const quiz = data as Partial<Quiz> | null;
  if (!quiz || typeof quiz !== 'object') throw new QuizError(['the quiz must be a JSON object']);
  if (!isText(quiz.title)) problems.push('the quiz has no title');
  if (!Array.isArray(quiz.questions) || quiz.questions.length === 0) {
    throw new QuizError([...problems, 'the quiz has no questions array']);
  }
  const seen = new Set<string>();
  quiz.questions.forEach((question, index) => {
    const q = (question ?? {}) as Partial<QuizQuestion>;
    const name = isText(q.id) ? `question "${q.id}"` : `question #${index + 1}`;
    if (!isText(q.id)) problems.push(`${name} has no id`);
    else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q.id)) problems.push(`${name}: id must be kebab-case`);
    else if (seen.has(q.id)) problems.push(`${name}: duplicate id`);
    else seen.add(q.id);
    if (q.lesson !== undefined && !(isText(q.lesson) && LESSON_ID.test(q.lesson))) {
      problems.push(`${name}: lesson must be a lesson id such as "03-delivery-guarantees"`);
    }
    if (!isText(q.section)) problems.push(`${name} has no section`);
    if (!isText(q.prompt)) problems.push(`${name} has no prompt`);
    if (!Array.isArray(q.choices) || q.choices.length < 2) {
      problems.push(`${name} needs at least two choices`);
      return;
    }
    const correct = q.choices.filter((c) => c?.correct === true).length;
    if (correct !== 1) problems.push(`${name} has ${correct} correct choices; it needs exactly one`);
    q.choices.forEach((choice, c) => {
      if (!isText(choice?.text)) problems.push(`${name}, choice ${c + 1} has no text`);
      if (typeof choice?.correct !== 'boolean') problems.push(`${name}, choice ${c + 1}: "correct" must be true or false`);
      if (!isText(choice?.explanation)) problems.push(`${name}, choice ${c + 1} has no explanation`);
    });
    const texts = q.choices.map((c) => c?.text);
    if (new Set(texts).size !== texts.length) problems.push(`${name} repeats a choice`);
  });
  if (problems.length > 0) throw new QuizError(problems);
  return quiz as Quiz;
}

/** A lesson as the quiz refers to it: its id and the plain text of its section headings. */
export interface LessonSections {
  id: string;
  sections: string[];
}

/** A heading's text as a quiz names it: emphasis and code marks removed, e.g. "Why exactly-once delivery is impossible". */
export function plainHeading(markdown: string): string {
  return markdown.replace(/[*`]/g, '').replace(/\s+/g, ' ').trim();
}

/** The section headings (`##` and deeper, outside code blocks) of a lesson notebook, as plain text. */
export function lessonSections(notebookFile: string): string[] {
  const sections: string[] = [];
  for (const cell of readNotebook(notebookFile).cells) {
    if (cell.cell_type !== 'markdown') continue;
    let inCode = false;
    for (const line of joinText(cell.source).split('\n')) {
      if (/^\s*(```|~~~)/.test(line)) inCode = !inCode;
      const heading = inCode ? null : /^#{2,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (heading) sections.push(plainHeading(heading[1]));
    }
  }
  return sections;
}

/**
 * Checks that every question names a lesson of the course and a section of that lesson.
 * @returns the problems found, each naming its question; empty when there are none.
 */
export function quizCoverageProblems(quiz: Quiz, lessons: LessonSections[]): string[] {
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  return quiz.questions.flatMap((q) => {
    const lesson = q.lesson === undefined ? undefined : byId.get(q.lesson);
    if (q.lesson === undefined) return [`question "${q.id}" names no lesson`];
    if (!lesson) return [`question "${q.id}": there is no lesson "${q.lesson}"`];
    if (!lesson.sections.includes(q.section)) {
      return [`question "${q.id}": lesson ${lesson.id} has no section "${q.section}" (its sections: ${lesson.sections.join(' | ')})`];
    }
    return [];
  });
}
