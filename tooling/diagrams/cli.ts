/**
 * `npm run diagrams`: draws the diagrams of the lessons' markdown cells from their mermaid sources
 * (lessons/diagrams/) and attaches the images to the cells. `npm run diagrams -- --check` only
 * reports what is missing or stale, as the tests do.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT, loadLessons } from '../course';
import { readNotebook } from '../notebook';
import { writeFileAtomic } from '../files';
import { findChromium } from '../programs';
import { figureProblems, lessonFigures, withImages } from './lesson-figures';
import { notebookSvg } from './notebook-image';
import { DiagramRenderer } from './renderer';

async function main(args: string[]): Promise<number> {
  const root = findRoot(__dirname);
  const lessons = loadLessons(root);
  if (args.includes('--check')) {
    const problems = lessons.flatMap((lesson) => figureProblems(root, lesson, readNotebook(path.join(root, lesson.file))));
    for (const problem of problems) console.error(problem);
    console.log(problems.length === 0 ? 'Every lesson diagram has its image, up to date.' : `${problems.length} problem(s).`);
    return problems.length === 0 ? 0 : 1;
  }
  const renderer = new DiagramRenderer({ cacheDir: path.join(root, LAYOUT.siteCache), browserPath: findChromium() });
  const work = lessons.map((lesson) => ({ lesson, notebook: readNotebook(path.join(root, lesson.file)) }));
  const figures = work.map(({ lesson, notebook }) => lessonFigures(root, lesson, notebook));
  const missing = figures.flat().filter((figure) => figure.code === undefined);
  if (missing.length > 0) {
    for (const figure of missing) console.error(`${figure.sourceFile} is missing (its image is in ${LAYOUT.lessons}, cell ${figure.cell + 1})`);
    return 1;
  }
  await renderer.prepare(
    work.flatMap(({ lesson }, i) => figures[i].map((figure) => ({ code: figure.code ?? '', where: `${figure.sourceFile} (${lesson.file}, cell ${figure.cell + 1})` }))),
  );
  let changed = 0;
  work.forEach(({ lesson, notebook }, i) => {
    const file = path.join(root, lesson.file);
    const text = withImages(notebook, figures[i], (figure) => notebookSvg(renderer.svgs(figure.code ?? '').light, figure.code ?? ''));
    if (text === fs.readFileSync(file, 'utf8')) return;
    writeFileAtomic(file, text);
    changed++;
    console.log(`${lesson.file}: ${figures[i].length} diagram(s) attached`);
  });
  console.log(`${figures.flat().length} diagrams in ${lessons.length} lessons; ${changed} notebook(s) updated (${renderer.stats.rendered} drawn, ${renderer.stats.fromCache} from the cache).`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
