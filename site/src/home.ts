/** The home page: what the course teaches and the way through it. */
import type { Course } from '../../tooling/course';
import { gradeCommand } from './exercise';
import { escapeHtml } from './html';
import type { PageLink } from './layout';

export interface HomeLinks {
  lessons: PageLink[];
  exercises: PageLink[];
  quiz?: PageLink;
  api?: string;
}

export function renderHome(course: Course, links: HomeLinks): string {
  const lessons = course.lessons
    .map((lesson, i) => `<li><a href="${links.lessons[i].path}"><span class="number">${lesson.number}</span> ${escapeHtml(lesson.title.replace(/^Lesson\s+\d+\s*[·:.-]\s*/i, ''))}</a></li>`)
    .join('\n');
  const exercises = course.exercises
    .map(
      (exercise, i) =>
        `<li><a href="${links.exercises[i].path}"><span class="number">${exercise.number}</span> ${escapeHtml(exercise.title.replace(/^Exercise\s+\d+\s*[·:.-]\s*/i, ''))}</a> <span class="meta">${exercise.points} points · <code>${escapeHtml(gradeCommand(exercise))}</code></span></li>`,
    )
    .join('\n');
  return `<div class="home">
<h1>${escapeHtml(course.title)}</h1>
<p class="subtitle">${escapeHtml(course.subtitle)}</p>
<section aria-labelledby="objectives"><h2 id="objectives">What you will learn</h2>
<ul class="objectives">
${course.objectives.map((objective) => `<li>${escapeHtml(objective)}</li>`).join('\n')}
</ul></section>
<section aria-labelledby="lessons"><h2 id="lessons">Lessons</h2>
<p>Each lesson is a Jupyter notebook: run it with <code>npm start</code>, or read it here with the outputs of a fresh run.</p>
${lessons ? `<ol class="outline">\n${lessons}\n</ol>` : '<p>No lessons yet.</p>'}
</section>
<section aria-labelledby="exercises"><h2 id="exercises">Exercises</h2>
<p>Each exercise grades itself: edit the starter, then run its command.</p>
${exercises ? `<ol class="outline">\n${exercises}\n</ol>` : '<p>No exercises yet.</p>'}
</section>
<section aria-labelledby="check"><h2 id="check">Check yourself</h2>
<ul class="outline plain">
${links.quiz ? `<li><a href="${links.quiz.path}">${escapeHtml(links.quiz.title)}</a>: multiple-choice questions with explanations, one page per lesson, and a review of the whole course.</li>` : '<li>The quiz is not written yet.</li>'}
${links.api ? `<li><a href="${links.api}">Toolkit API reference</a>: the simulated network and the helpers the lessons use.</li>` : ''}
</ul>
</section>
</div>`;
}
