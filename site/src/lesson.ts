/**
 * A lesson page: the executed notebook's cells; under the title, the notebook to download, the
 * exercises that practise the lesson and the toolkit reference it uses; at the end, the exercises again.
 */
import type { Markdown, MarkdownEnv, PageState } from './markdown';
import { cellName, joinText, MEASURED_TAG, type DataOutput, type Notebook } from '../../tooling/notebook';
import { outputMarkdown, renderOutputs } from './outputs';
import type { DiagramSource } from '../../tooling/diagrams/renderer';
import { findDiagrams } from './markdown';
import { escapeHtml } from './html';
import { codespaceAnchor } from './repository';
import { lessonFigures, withMermaidBlocks } from '../../tooling/diagrams/lesson-figures';
import type { Lesson } from '../../tooling/course';

export interface LessonRenderers {
  md: Markdown;
  /** Markdown for what code displayed: its text is data, so any HTML in it is shown as text. */
  outputMd: Markdown;
  code(source: string, language: string): string;
}

/** A link from the lesson page. */
interface Link {
  title: string;
  href: string;
}

/** The links around a lesson's cells, relative to its page. */
export interface LessonLinks {
  /** The notebook, outputs cleared. */
  notebook: string;
  /** The exercises that practise the lesson (their records name it). */
  exercises: Link[];
  /** Toolkit modules and names it imports, with their reference pages (see {@link toolkitLinks}). */
  toolkit: string;
  /** The lesson's quiz page and its number of questions, when the quiz asks about the lesson. */
  quiz?: Link & { questions: number };
  /** The course in GitHub Codespaces, when the course names its repository and has a dev container. */
  codespace?: string;
}

/** Toolkit modules and the names imported from each, e.g. netsim → [Network, uniform]. */
export function toolkitImports(notebook: Notebook): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const pattern = /import\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s]+?)\s+from\s+['"](?:\.{1,2}\/)+toolkit\/([\w-]+)[^'"]*['"]/g;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const match of joinText(cell.source).matchAll(pattern)) {
      const names = (match[1] ?? '')
        .split(',')
        .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
        .filter(Boolean);
      found.set(match[2], [...new Set([...(found.get(match[2]) ?? []), ...names])]);
    }
  }
  return found;
}

/** Outputs whose shown form is Markdown (and so may hold diagrams). */
function markdownOutputs(notebook: Notebook): { text: string; index: number }[] {
  return notebook.cells.flatMap((cell, index) =>
    (cell.outputs ?? [])
      .filter((output): output is DataOutput => output.output_type === 'display_data' || output.output_type === 'execute_result')
      .flatMap((output) => {
        const text = outputMarkdown(output);
        return text === undefined ? [] : [{ text, index }];
      }),
  );
}

/**
 * The notebook with each figure of its markdown cells (an image attached to the cell) replaced by
 * the mermaid block it is drawn from, which the page draws in its own themes.
 */
export function withFigureSources(root: string, lesson: Lesson, notebook: Notebook): Notebook {
  const figures = lessonFigures(root, lesson, notebook);
  if (figures.length === 0) return notebook;
  return {
    ...notebook,
    cells: notebook.cells.map((cell, index) => {
      if (cell.cell_type !== 'markdown') return cell;
      return { ...cell, attachments: undefined, source: withMermaidBlocks(joinText(cell.source), figures.filter((figure) => figure.cell === index)) };
    }),
  };
}

/** Every diagram of the notebook: in markdown cells and in the Markdown that code cells displayed. */
export function lessonDiagrams(md: Markdown, notebook: Notebook, file: string): DiagramSource[] {
  const inCells = notebook.cells.flatMap((cell, index) =>
    cell.cell_type === 'markdown' ? findDiagrams(md, joinText(cell.source), `${file}, ${cellName(cell, index)}`) : [],
  );
  const inOutputs = markdownOutputs(notebook).flatMap(({ text, index }) =>
    findDiagrams(md, text, `${file}, output of ${cellName(notebook.cells[index], index)}`),
  );
  return [...inCells, ...inOutputs];
}

/** Under the output of a cell tagged {@link MEASURED_TAG}: its figures are the build machine's. Search neither finds nor quotes it. */
const MEASURED_NOTE = '<p class="measured-note" data-pagefind-ignore>Measured when this page was built; your run will show other numbers.</p>';

/** The lesson's body HTML; the links go after the first cell, under the title, and the exercises again at the end. */
export function renderLesson(notebook: Notebook, file: string, page: PageState, renderers: LessonRenderers, links: LessonLinks): string {
  const language = notebook.metadata?.language_info?.name ?? 'typescript';
  const cells = notebook.cells.map((cell, index) => {
    const env = (where: string): MarkdownEnv => ({ page, source: file, where });
    const source = joinText(cell.source);
    if (cell.cell_type === 'markdown') return `<div class="cell markdown">${renderers.md.render(source, env(cellName(cell, index)))}</div>`;
    if (cell.cell_type !== 'code' || source.trim() === '') return '';
    const outputs = renderOutputs(cell.outputs ?? [], {
      markdown: (text) => renderers.outputMd.render(text, env(`output of ${cellName(cell, index)}`)),
    });
    const note = outputs && cell.metadata?.tags?.includes(MEASURED_TAG) ? MEASURED_NOTE : '';
    return `<div class="cell code">${renderers.code(source, language)}${outputs ? `<div class="cell-output">${outputs}${note}</div>` : ''}</div>`;
  });
  if (cells.length > 0) cells.splice(1, 0, lessonAside(links));
  const practise = exerciseList(links.exercises);
  if (practise) cells.push(`<nav class="callout practise" aria-label="Exercises for this lesson" data-pagefind-ignore><p>Practise what this lesson taught: ${practise}.</p></nav>`);
  if (links.quiz) cells.push(`<nav class="callout check" aria-label="Quiz on this lesson" data-pagefind-ignore><p>Check your understanding: ${quizLink(links.quiz)}.</p></nav>`);
  return `<article class="lesson">\n${cells.filter(Boolean).join('\n')}\n</article>`;
}

const quizLink = (quiz: Link & { questions: number }) =>
  `<a href="${quiz.href}">${escapeHtml(quiz.title)}</a>, ${quiz.questions} question${quiz.questions === 1 ? '' : 's'} with explanations`;

const exerciseList = (exercises: Link[]) => exercises.map((exercise) => `<a href="${exercise.href}">${escapeHtml(exercise.title)}</a>`).join(', ');

function lessonAside(links: LessonLinks): string {
  const items = [
    `<li><a href="${links.notebook}" download>Download the notebook</a> (.ipynb, outputs cleared) to run it in Jupyter.</li>`,
    links.codespace ? `<li>${codespaceAnchor(links.codespace)} to run it in your browser, with nothing to install.</li>` : '',
    links.exercises.length > 0 ? `<li>Exercises: ${exerciseList(links.exercises)}.</li>` : '',
    links.toolkit ? `<li>Toolkit used: ${links.toolkit}.</li>` : '',
    links.quiz ? `<li>Check yourself: ${quizLink(links.quiz)}.</li>` : '',
  ];
  // Links every lesson has: search neither finds them nor quotes them.
  return `<aside class="callout lesson-links" aria-label="Work with this lesson" data-pagefind-ignore><ul>${items.join('')}</ul></aside>`;
}

/** Links to the reference pages of the toolkit modules and names a lesson imports ('' for none). */
export function toolkitLinks(imports: Map<string, string[]>, href: (apiFile: string) => string | null): string {
  const items = [...imports].flatMap(([module, names]) => {
    const modulePage = href(`${module}.html`);
    if (!modulePage) return [];
    const members = names
      .map((name) => {
        const page = href(`${module}/${name}.html`);
        return page ? `<a href="${page}"><code>${escapeHtml(name)}</code></a>` : `<code>${escapeHtml(name)}</code>`;
      })
      .join(', ');
    return [`<a href="${modulePage}"><code>toolkit/${escapeHtml(module)}</code></a>${members ? ` (${members})` : ''}`];
  });
  return items.join('; ');
}
