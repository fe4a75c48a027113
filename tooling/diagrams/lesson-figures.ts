/**
 * The diagrams of the lessons' markdown cells. A mermaid block in a markdown cell is raw text in
 * Jupyter Notebook 6.4, in VS Code without an extension and on GitHub, so a cell shows an image
 * instead: `![accessible title](attachment:name.svg)`, the SVG stored in the cell's attachments.
 * The image is drawn from its mermaid source, `lessons/diagrams/<lesson id>/<name>.mmd`, by
 * `npm run diagrams`; the site draws the same source in its own themes. The source's `accTitle`
 * is the image's alternative text, so both say the same.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Lesson } from '../course';
import { joinText, type Notebook } from '../notebook';
import { imageSourceHash, sourceHash } from './notebook-image';

const FIGURE = /!\[([^\]]*)\]\(attachment:([A-Za-z0-9_-]+)\.svg\)/g;
const SVG = 'image/svg+xml';

/** One diagram of a markdown cell. */
export interface LessonFigure {
  /** Index of the markdown cell in the notebook. */
  cell: number;
  /** The image's alternative text. */
  alt: string;
  /** The attachment's name, `name.svg`. */
  attachment: string;
  /** The mermaid source file, relative to the root. */
  sourceFile: string;
  /** The mermaid source, or undefined when its file is missing. */
  code: string | undefined;
}

/** The folder of a lesson's diagram sources, relative to the root. */
function diagramFolder(lesson: Pick<Lesson, 'id'>): string {
  return path.posix.join(LAYOUT.lessonDiagrams, lesson.id);
}

/** The figures of a lesson's markdown cells, in order. */
export function lessonFigures(root: string, lesson: Pick<Lesson, 'id'>, notebook: Notebook): LessonFigure[] {
  return notebook.cells.flatMap((cell, index) =>
    cell.cell_type !== 'markdown'
      ? []
      : [...joinText(cell.source).matchAll(FIGURE)].map(([, alt, name]) => {
          const sourceFile = path.posix.join(diagramFolder(lesson), `${name}.mmd`);
          const file = path.join(root, sourceFile);
          return { cell: index, alt, attachment: `${name}.svg`, sourceFile, code: fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined };
        }),
  );
}

/** The accessible title a mermaid source declares (`accTitle: ...`). */
function accessibleTitle(code: string): string | undefined {
  return /^\s*accTitle:\s*(.+?)\s*$/m.exec(code)?.[1];
}

/** An attachment's SVG text, decoded. */
function attachedSvg(notebook: Notebook, figure: LessonFigure): string | undefined {
  const data = notebook.cells[figure.cell].attachments?.[figure.attachment]?.[SVG];
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/**
 * What is wrong with a lesson's figures, one message each: a missing source or image, an image
 * older than its source, an alternative text that is not the source's title, a mermaid block left
 * in a markdown cell, an attachment or a source nothing uses.
 */
export function figureProblems(root: string, lesson: Pick<Lesson, 'id' | 'file'>, notebook: Notebook): string[] {
  const figures = lessonFigures(root, lesson, notebook);
  const problems: string[] = [];
  const where = (figure: LessonFigure) => `${lesson.file}, cell ${figure.cell + 1}, ${figure.attachment}`;
  for (const figure of figures) {
    if (figure.code === undefined) {
      problems.push(`${where(figure)}: its source ${figure.sourceFile} is missing`);
      continue;
    }
    const svg = attachedSvg(notebook, figure);
    if (svg === undefined) problems.push(`${where(figure)}: no image yet (run npm run diagrams)`);
    else if (imageSourceHash(svg) !== sourceHash(figure.code)) problems.push(`${where(figure)}: the image is older than ${figure.sourceFile} (run npm run diagrams)`);
    if (/#\d+(?!\d*;)/.test(figure.code)) problems.push(`${figure.sourceFile}: mermaid drops the text after a "#" and a number (it reads an entity like #35;): write #35; for "#"`);
    const title = accessibleTitle(figure.code);
    if (title === undefined) problems.push(`${figure.sourceFile}: no accTitle line (the image's alternative text)`);
    else if (title !== figure.alt) problems.push(`${where(figure)}: the alternative text "${figure.alt}" is not the source's accTitle "${title}"`);
  }
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'markdown') return;
    if (/^\s*(```|~~~)\s*mermaid/m.test(joinText(cell.source))) problems.push(`${lesson.file}, cell ${index + 1}: a mermaid block shows as raw text in most notebook viewers; make it a figure (see ${LAYOUT.lessonDiagrams})`);
    for (const name of Object.keys(cell.attachments ?? {})) {
      if (!figures.some((figure) => figure.cell === index && figure.attachment === name)) problems.push(`${lesson.file}, cell ${index + 1}: attachment ${name} is not used`);
    }
  });
  const folder = path.join(root, diagramFolder(lesson));
  const used = new Set(figures.map((figure) => figure.sourceFile));
  for (const name of fs.existsSync(folder) ? fs.readdirSync(folder).sort() : []) {
    const sourceFile = path.posix.join(diagramFolder(lesson), name);
    if (!used.has(sourceFile)) problems.push(`${sourceFile}: no markdown cell of ${lesson.file} shows it`);
  }
  return problems;
}

/** The notebook with each figure's image attached (and nothing else attached), as a notebook file's text. */
export function withImages(notebook: Notebook, figures: readonly LessonFigure[], image: (figure: LessonFigure) => string): string {
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'markdown') return;
    const mine = figures.filter((figure) => figure.cell === index);
    if (mine.length === 0) delete cell.attachments;
    else cell.attachments = Object.fromEntries(mine.map((figure) => [figure.attachment, { [SVG]: Buffer.from(image(figure)).toString('base64') }]));
  });
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** A markdown cell's text with each figure as the mermaid block it is drawn from (for the site). */
export function withMermaidBlocks(markdown: string, figures: readonly LessonFigure[]): string {
  return markdown.replace(FIGURE, (whole, _alt, name: string) => {
    const code = figures.find((figure) => figure.attachment === `${name}.svg`)?.code;
    return code === undefined ? whole : '```mermaid\n' + code + '\n```';
  });
}
