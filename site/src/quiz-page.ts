/**
 * The quiz page. Without JavaScript it is a list of questions, each with its answer and the
 * explanations behind a disclosure; assets/quiz.js turns the choices into buttons that mark the
 * answer right or wrong, explain it, and keep a running score.
 */
import fs from 'node:fs';
import { validateQuiz, type Quiz } from '../../tooling/quiz';
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

/** The lesson a question names (a field the quiz data may have), as a link from the quiz page. */
export type LessonLinker = (lessonId: string) => { title: string; href: string } | null;

export function quizDiagrams(md: Markdown, quiz: Quiz, source: string): DiagramSource[] {
  return quiz.questions.flatMap((q) => findDiagrams(md, q.prompt, `${source}, question "${q.id}"`));
}

export function renderQuiz(quiz: Quiz, source: string, page: PageState, md: Markdown, lessonLink: LessonLinker = () => null): string {
  const count = quiz.questions.length;
  const questions = quiz.questions.map((question, index) => {
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
    // Quiz data may name the lesson a question comes from; read defensively, it is optional.
    const lessonId = (question as { lesson?: unknown }).lesson;
    const lesson = typeof lessonId === 'string' ? lessonLink(lessonId) : null;
    const review = lesson ? `\n<p class="review">Review: <a href="${lesson.href}">${escapeHtml(lesson.title)}</a></p>` : '';
    return `<section class="question" id="${id}" aria-labelledby="${id}-title" data-question>
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
</details>
</section>`;
  });
  return `<article class="quiz">
<h1>${escapeHtml(quiz.title)}</h1>
<p>${count} questions on the whole course. Choose an answer to see whether it is right and why; each question counts once, for your first choice.</p>
<noscript><p class="callout">JavaScript is off: the questions are below, and each one's answer is under <em>Answer and explanations</em>.</p></noscript>
<div class="scoreboard" data-scoreboard hidden>
<p class="score" role="status">Score: <span data-score>0</span> right out of <span data-answered>0</span> answered (${count} questions)</p>
<button type="button" class="reset" data-reset>Start again</button>
</div>
${questions.join('\n')}
</article>`;
}
