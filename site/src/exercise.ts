/** An exercise page: its README, the lesson it practises, the command that grades it, and the starter files. */
import fs from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../../tooling/course';
import type { DiagramSource } from '../../tooling/diagrams/renderer';
import { escapeHtml } from './html';
import { findDiagrams, type Markdown, type PageState } from './markdown';
import { codespaceAnchor } from './repository';

export interface ExerciseRenderers {
  md: Markdown;
  code(source: string, language: string): string;
}

/** The exercise's README (a title alone when it has none). */
export function readExerciseReadme(root: string, exercise: Exercise): string {
  const file = path.join(root, exercise.readme);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# ${exercise.title}\n`;
}

/** The diagrams of the exercise's README (its text, see {@link readExerciseReadme}). */
export function exerciseDiagrams(md: Markdown, exercise: Exercise, readme: string): DiagramSource[] {
  return findDiagrams(md, readme, exercise.readme);
}

/** The command a student runs to grade the exercise. */
export function gradeCommand(exercise: Exercise): string {
  return `npm run grade -- ${exercise.number}`;
}

/** The id of a starter file's section on the exercise page: letters, digits and dashes. */
export const starterId = (file: string) => `file-${file.replace(/[^A-Za-z0-9-]/g, '-')}`;

/** Where an exercise page leads besides its README's own links. */
export interface ExerciseLinks {
  /** The lesson the exercise practises, if the site has it. */
  lesson?: { title: string; href: string };
  /** The course in GitHub Codespaces, when the course names its repository and has a dev container. */
  codespace?: string;
}

/** The exercise page's body: `readmeText` is the README's text (see {@link readExerciseReadme}). */
export function renderExercise(root: string, exercise: Exercise, readmeText: string, page: PageState, renderers: ExerciseRenderers, { lesson, codespace }: ExerciseLinks = {}): string {
  const readme = renderers.md.render(readmeText, { page, source: exercise.readme, where: 'README' });
  const grading = `<aside class="callout grade" aria-labelledby="grade-${exercise.id}">
<h2 id="grade-${exercise.id}">Grade your work</h2>
<p>Edit the starter in <code>${escapeHtml(exercise.dir)}/</code>, then run this from the workbook's folder:</p>
<pre class="command" tabindex="0"><code>${escapeHtml(gradeCommand(exercise))}</code></pre>
<p>It runs the public checks and shows your score out of ${exercise.points} points. Stuck? <code>npm run hint -- ${exercise.number}</code> gives a hint.</p>
${codespace ? `<p>Nothing installed? ${codespaceAnchor(codespace)}: the workbook in your browser, ready to edit and grade.</p>\n` : ''}</aside>`;
  const starters = exercise.files
    .map((file) => {
      const source = fs.readFileSync(path.join(root, exercise.dir, file), 'utf8');
      return `<details class="starter" id="${starterId(file)}"><summary><code>${escapeHtml(path.posix.join(exercise.dir, file))}</code></summary>${renderers.code(source, exercise.language)}</details>`;
    })
    .join('\n');
  const practises = lesson ? ` · practises <a href="${lesson.href}">${escapeHtml(lesson.title)}</a>` : '';
  // The grading box goes right under the README's title.
  const titleEnd = readme.indexOf('</h1>');
  const head = titleEnd === -1 ? `<h1>${escapeHtml(exercise.title)}</h1>` : readme.slice(0, titleEnd + 5);
  const rest = titleEnd === -1 ? readme : readme.slice(titleEnd + 5);
  return `<article class="exercise">
${head}
<p class="meta" data-pagefind-ignore>Exercise ${exercise.number} · ${exercise.points} points${practises} · <code>${escapeHtml(gradeCommand(exercise))}</code></p>
${rest}
${grading}
${starters ? `<section aria-labelledby="starter-files"><h2 id="starter-files">Starter files</h2>\n${starters}</section>` : ''}
</article>`;
}
