/**
 * The chapter quiz's data format and its validator. The questions live in `lessons/quiz.json`;
 * the site renders them and a test validates them with {@link validateQuiz}.
 *
 * @module
 */

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
  /** The syllabus section it tests, e.g. "Delivery guarantees". */
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
