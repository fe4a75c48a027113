// The diagrams of the lessons' markdown cells are images attached to their cells (a mermaid block
// is raw text in Jupyter Notebook 6.4, VS Code and GitHub), drawn from the mermaid sources in
// lessons/diagrams/ by `npm run diagrams`: none missing, none stale, each titled for screen readers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, LAYOUT, loadLessons } from '../tooling/course';
import { figureProblems, lessonFigures, withImages, withMermaidBlocks } from '../tooling/diagrams/lesson-figures';
import { imageSourceHash, notebookSvg, sourceHash } from '../tooling/diagrams/notebook-image';
import { readNotebook, type Notebook } from '../tooling/notebook';

const root = findRoot();

describe.each(loadLessons(root).map((lesson) => [lesson.file, lesson] as const))('%s', (file, lesson) => {
  it('shows each diagram of its markdown cells as an attached image, drawn from its current source', () => {
    expect(figureProblems(root, lesson, readNotebook(path.join(root, file)))).toEqual([]);
  });
});

describe('lesson figures', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'figures-'));
  const lesson = { id: '01-demo', file: 'lessons/01-demo.ipynb' };
  const source = 'graph LR\n  accTitle: A talks to B\n  A --> B';
  fs.mkdirSync(path.join(scratch, LAYOUT.lessonDiagrams, lesson.id), { recursive: true });
  fs.writeFileSync(path.join(scratch, LAYOUT.lessonDiagrams, lesson.id, 'talk.mmd'), `${source}\n`);
  const svg = '<svg id="m" width="100%" style="max-width: 80px;" viewBox="0 0 80 40"><g/></svg>';
  const notebook = (markdown: string, attachments?: Notebook['cells'][number]['attachments']): Notebook => ({
    cells: [{ cell_type: 'markdown', source: markdown, metadata: {}, ...(attachments ? { attachments } : {}) }],
  });
  const attached = (text: string) => JSON.parse(text) as Notebook;
  const problems = (nb: Notebook) => figureProblems(scratch, lesson, nb);

  it('attaches an image sized, on white and tagged with its source, and finds nothing wrong then', () => {
    const nb = notebook('Before\n\n![A talks to B](attachment:talk.svg)\n');
    const withImage = attached(withImages(nb, lessonFigures(scratch, lesson, nb), (figure) => notebookSvg(svg, figure.code ?? '')));
    const image = Buffer.from(withImage.cells[0].attachments?.['talk.svg']['image/svg+xml'] ?? '', 'base64').toString();
    expect(image).toMatch(/^<svg width="80" height="40" style="max-width: 100%; height: auto; background-color: white;" data-mermaid-source="[0-9a-f]{16}" id="m" viewBox="0 0 80 40">/);
    expect(imageSourceHash(image)).toBe(sourceHash(source));
    expect(problems(withImage)).toEqual([]);
  });

  it('names a missing image, a stale one, a wrong alternative text and a missing source', () => {
    expect(problems(notebook('![A talks to B](attachment:talk.svg)'))).toEqual([`${lesson.file}, cell 1, talk.svg: no image yet (run npm run diagrams)`]);
    const stale = { 'talk.svg': { 'image/svg+xml': Buffer.from(notebookSvg(svg, 'graph LR\n  A --> C')).toString('base64') } };
    expect(problems(notebook('![A talks to B](attachment:talk.svg)', stale))).toEqual([
      `${lesson.file}, cell 1, talk.svg: the image is older than lessons/diagrams/01-demo/talk.mmd (run npm run diagrams)`,
    ]);
    expect(problems(notebook('![A and B](attachment:talk.svg)', stale))).toContain(
      `${lesson.file}, cell 1, talk.svg: the alternative text "A and B" is not the source's accTitle "A talks to B"`,
    );
    expect(problems(notebook('![x](attachment:gone.svg)'))).toEqual([
      `${lesson.file}, cell 1, gone.svg: its source lessons/diagrams/01-demo/gone.mmd is missing`,
      'lessons/diagrams/01-demo/talk.mmd: no markdown cell of lessons/01-demo.ipynb shows it',
    ]);
  });

  it('refuses a mermaid block left in a markdown cell, and an attachment nothing shows', () => {
    const found = problems(notebook('```mermaid\ngraph LR\n  A --> B\n```', { 'old.svg': { 'image/svg+xml': '' } }));
    expect(found).toContain(`${lesson.file}, cell 1: a mermaid block shows as raw text in most notebook viewers; make it a figure (see lessons/diagrams)`);
    expect(found).toContain(`${lesson.file}, cell 1: attachment old.svg is not used`);
  });

  it('gives the site the mermaid source in place of the image', () => {
    const nb = notebook('Before ![A talks to B](attachment:talk.svg) after');
    expect(withMermaidBlocks('Before ![A talks to B](attachment:talk.svg) after', lessonFigures(scratch, lesson, nb))).toBe(`Before \`\`\`mermaid\n${source}\n\`\`\` after`);
  });
});
