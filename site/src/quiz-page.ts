/**
 * The quiz pages. The quiz has one page per lesson (`quiz/<lesson>.html`) and a review page for the
 * whole course (`quiz.html`). Without JavaScript a page is a list of questions, each with its answer
 * and the explanations behind a disclosure; assets/quiz.js turns the choices into buttons that mark
 * the answer right or wrong, explain it, and keep a running score for the page.
 */
import fs from 'node:fs';
import { validateQuiz, type Quiz, type QuizQuestion } from '../../tooling/quiz';
import type { DiagramSource } from '../../tooling/diagrams/renderer';
import { escapeHtml } from './html';
import { findDiagrams, type Markdown, type PageState } from './markdown';

/** Reads and validates quiz data; invalid data throws a QuizError naming the question. */
export function loadQuiz(file: string): Quiz {
  return validateQuiz(JSON.parse(fs.readFileSync(file, 'utf8')));
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * An explanation without a leading verdict ("Right." / "Wrong:"): the page says whether a choice is
 * right once, in its own words.
 */
export function withoutVerdict(explanation: string): string {
  const rest = explanation.replace(/^\s*(right|correct|wrong|incorrect)\b\s*[.!:,;—–-]\s*/i, '');
  return rest ? rest[0].toUpperCase() + rest.slice(1) : explanation;
}

/** `text` ending in a full stop, unless it already ends in a punctuation mark. */
const sentence = (text: string) => (/[.!?…:]$/.test(text.trim()) ? text : `${text}.`);

/** A link from a quiz page, its href relative to that page. */
export interface QuizLink {
  title: string;
  href: string;
}

/** The lesson a question names (a field the quiz data may have), as a link from the page it is on. */
export type LessonLinker = (lessonId: string) => QuizLink | null;

export function quizDiagrams(md: Markdown, quiz: Quiz, source: string): DiagramSource[] {
  return quiz.questions.flatMap((q) => findDiagrams(md, q.prompt, `${source}, question "${q.id}"`));
}

/** The questions of each lesson (in the course's order, lessons without questions left out), and those that name no lesson of the course. */
export function questionsByLesson<L extends { id: string }>(quiz: Quiz, lessons: L[]): { lessons: { lesson: L; questions: QuizQuestion[] }[]; unplaced: QuizQuestion[] } {
  const ids = new Set(lessons.map((lesson) => lesson.id));
  return {
    lessons: lessons.map((lesson) => ({ lesson, questions: quiz.questions.filter((q) => q.lesson === lesson.id) })).filter((entry) => entry.questions.length > 0),
    unplaced: quiz.questions.filter((q) => q.lesson === undefined || !ids.has(q.lesson)),
  };
}

/** What one quiz page shows. */
export interface QuizPageContent {
  /** The page's heading (text). */
  title: string;
  /** HTML under the heading: what the page holds. */
  intro: string;
  /** HTML between the introduction and the questions. */
  contents?: string;
  questions: QuizQuestion[];
  /** A link shown under a question, to the page with more questions like it. */
  more?: (question: QuizQuestion) => QuizLink | null;
  /** Questions that live on another page too: kept out of the search index, so that a search finds each question once. */
  indexedElsewhere?: (question: QuizQuestion) => boolean;
}

export function renderQuizPage(content: QuizPageContent, source: string, page: PageState, md: Markdown, lessonLink: LessonLinker = () => null): string {
  const count = content.questions.length;
  const questions = content.questions.map((question, index) => {
    const env = { page, source, where: `question "${question.id}"` };
    const inline = (text: string) => md.renderInline(text, env);
    const id = `q-${question.id}`;
    const answer = question.choices.findIndex((choice) => choice.correct);
    const explanation = (c: number) => inline(withoutVerdict(question.choices[c].explanation));
    const choices = question.choices
      .map(
        (choice, c) => `<li>
<button type="button" class="choice" data-correct="${choice.correct}" disabled><span class="letter" aria-hidden="true">${LETTERS[c]}</span><span class="choice-text">${inline(choice.text)}</span><span class="mark"></span></button>
<p class="explanation" hidden>${explanation(c)}</p>
</li>`,
      )
      .join('\n');
    const explanations = question.choices
      .map((choice, c) => `<li><strong>${LETTERS[c]}. ${choice.correct ? 'Right' : 'Wrong'}:</strong> ${inline(sentence(choice.text))} ${explanation(c)}</li>`)
      .join('\n');
    const lesson = question.lesson === undefined ? null : lessonLink(question.lesson);
    const review = lesson ? `\n<p class="review">Review: <a href="${lesson.href}">${escapeHtml(lesson.title)}</a></p>` : '';
    const more = content.more?.(question);
    const moreLink = more ? `\n<p class="more"><a href="${more.href}">${escapeHtml(more.title)}</a></p>` : '';
    const unindexed = content.indexedElsewhere?.(question) ? ' data-pagefind-ignore' : '';
    return `<section class="question" id="${id}" aria-labelledby="${id}-title" data-question${unindexed}>
<h2 id="${id}-title"><span class="question-number">Question ${index + 1} of ${count}</span> <span class="question-section">${escapeHtml(question.section)}</span></h2>
<div class="prompt">${md.render(question.prompt, env)}</div>
<ol class="choices">
${choices}
</ol>
<p class="verdict" aria-live="polite"></p>
<details class="answer"><summary>Answer and explanations</summary>
<p>The answer is <strong>${LETTERS[answer]}</strong>: ${inline(sentence(question.choices[answer].text))}</p>
<ul>
${explanations}
</ul>${review}
</details>${moreLink}
</section>`;
  });
  const quiz =
    count === 0
      ? ''
      : `<noscript><p class="callout">JavaScript is off: the questions are below, and each one's answer is under <em>Answer and explanations</em>.</p></noscript>
<div class="scoreboard" data-scoreboard hidden>
<p class="score" role="status">Score: <span data-score>0</span> right out of <span data-answered>0</span> answered (${count} questions)</p>
<button type="button" class="reset" data-reset>Start again</button>
</div>
${questions.join('\n')}
`;
  return `<article class="quiz">
<h1>${escapeHtml(content.title)}</h1>
${content.intro}
${content.contents ? `${content.contents}\n` : ''}${quiz}</article>`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The quiz page of one lesson: all its questions. `lesson.href` leads from that page to the lesson. */
export function lessonQuizPage(lesson: QuizLink, questions: QuizQuestion[], review: QuizLink): QuizPageContent {
  return {
    title: `Quiz: ${lesson.title}`,
    intro: `<p>${plural(questions.length, 'question')} on <a href="${lesson.href}">${escapeHtml(lesson.title)}</a>. Choose an answer to see whether it is right and why; each question counts once, for your first choice. <a href="${review.href}">${escapeHtml(review.title)}</a> has the other lessons' quizzes.</p>`,
    questions,
  };
}

/**
 * The whole-course page. A student who comes here wants either to pick a lesson to test themselves
 * on, or a quick check across the course that says which lessons to go back to. So it lists every
 * lesson's quiz (with its number of questions), then asks a short review: the first question of each
 * lesson, each with a link to the rest of that lesson's questions, and, in full, any question that
 * names no lesson. The 87 questions on one page were 287 KB, about 61 phone screens; one question per
 * lesson keeps the page small and quick to answer, and the sampled questions stay out of the search
 * index, which finds them on their lesson's page.
 */
export function reviewQuizPage(quiz: Quiz, lessons: { link: QuizLink; quiz: QuizLink; questions: QuizQuestion[] }[], unplaced: QuizQuestion[]): QuizPageContent {
  const byQuestion = new Map(lessons.map((entry) => [entry.questions[0].id, entry]));
  const sampled = lessons.map((entry) => entry.questions[0]);
  const list = lessons
    .map((entry) => `<li><a href="${entry.quiz.href}">${escapeHtml(entry.link.title)}</a> <span class="meta">${plural(entry.questions.length, 'question')}</span></li>`)
    .join('\n');
  const review = sampled.length + unplaced.length;
  const reviewIntro =
    review === 0
      ? ''
      : `\n<h2 id="review">Review the whole course</h2>\n<p>${sampled.length > 0 ? `One question from each lesson${unplaced.length > 0 ? `, and ${plural(unplaced.length, 'question')} on the course as a whole` : ''}` : plural(unplaced.length, 'question')}: a quick check of which lessons to go back to. Each question counts once, for your first choice; under each, a link leads to the rest of its lesson's quiz.</p>`;
  return {
    title: quiz.title,
    intro: `<p>${plural(quiz.questions.length, 'question')} on the whole course${lessons.length > 0 ? ', one page per lesson' : ''}, with an explanation for every answer.</p>`,
    contents:
      lessons.length > 0 ? `<nav aria-labelledby="by-lesson" data-pagefind-ignore><h2 id="by-lesson">Quizzes by lesson</h2>\n<ol class="outline">\n${list}\n</ol></nav>${reviewIntro}` : reviewIntro.trimStart() || undefined,
    questions: [...sampled, ...unplaced],
    more: (question) => {
      const entry = byQuestion.get(question.id);
      return entry ? { title: `All ${plural(entry.questions.length, 'question')} on ${entry.link.title}`, href: entry.quiz.href } : null;
    },
    indexedElsewhere: (question) => byQuestion.has(question.id),
  };
}
