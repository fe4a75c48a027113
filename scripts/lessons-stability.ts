/**
 * `npm run lessons:stability [-- LL ...]`: executes every lesson (or the lessons named, e.g. `02 15`)
 * twice through real Jupyter, each run into a notebook cache of its own under
 * `.cache/lessons-stability/`, and compares what the site would show under each code cell. It lists
 * the cells whose outputs differ without the tag `measured` (the site would publish a figure that
 * changes from build to build with no note saying so), and the tagged cells whose outputs came out
 * the same (they may vary less than thought; one pair of runs proves nothing either way). Exits 1
 * when an untagged cell differed or a lesson failed. Takes several minutes, with RabbitMQ, Redis and
 * PostgreSQL running as in CI: not part of `npm test`, whose cheap stand-in is the rule in
 * tests/notebook-format.test.ts.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT, loadLessons, type Lesson } from '../tooling/course';
import { MEASURED_TAG, type Cell, type Notebook } from '../tooling/notebook';
import { cores, mapLimit } from '../tooling/processes';
import { executeCached, lessonDependencies } from '../site/src/execution';
import { renderOutputs } from '../site/src/outputs';

const root = findRoot(__dirname);
const scratch = path.join(root, LAYOUT.cache, 'lessons-stability');

/** What the site shows under a cell, with its Markdown left as Markdown. */
const shown = (cell: Cell) => renderOutputs(cell.outputs ?? [], { markdown: (text) => text });

/** Runs each lesson into the cache `run`, several lessons at a time as the tests' set-up does. */
/** One lesson's run: the executed notebook, or why it failed. */
type Run = { notebook: Notebook } | { failure: string };

async function executeAll(lessons: Lesson[], run: string): Promise<Run[]> {
  const cacheDir = path.join(scratch, run);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const dependencies = lessonDependencies(root, root);
  return mapLimit(lessons, cores(), async (lesson) => {
    try {
      return { notebook: (await executeCached(lesson.file, { root, cacheDir, dependencies })).notebook };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { failure: message.split('\n').slice(0, 8).join('\n') };
    }
  });
}

/** The first line that differs between two outputs, both ways. */
function firstDifference(a: string, b: string): string {
  const [linesA, linesB] = [a.split('\n'), b.split('\n')];
  const at = linesA.findIndex((line, i) => line !== linesB[i]);
  const line = at === -1 ? linesA.length : at;
  return `  run 1: ${linesA[line] ?? '(nothing)'}\n  run 2: ${linesB[line] ?? '(nothing)'}`;
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const lessons = loadLessons(root).filter((lesson) => wanted.length === 0 || wanted.some((id) => lesson.id.startsWith(id)));
  if (lessons.length === 0) throw new Error(`no lesson matches ${wanted.join(', ')}`);
  const started = performance.now();
  const [first, second] = [await executeAll(lessons, 'run-1'), await executeAll(lessons, 'run-2')];
  const unmarked: string[] = [];
  const steady: string[] = [];
  const failed: string[] = [];
  lessons.forEach((lesson, l) => {
    const [a, b] = [first[l], second[l]];
    if ('failure' in a) failed.push(`${lesson.file}, run 1: ${a.failure}`);
    if ('failure' in b) failed.push(`${lesson.file}, run 2: ${b.failure}`);
    if ('failure' in a || 'failure' in b) return;
    const codeA = a.notebook.cells.filter((cell) => cell.cell_type === 'code');
    const codeB = b.notebook.cells.filter((cell) => cell.cell_type === 'code');
    codeA.forEach((cell, i) => {
      const where = `${lesson.file}, code cell ${i + 1}`;
      const [shownA, shownB] = [shown(cell), shown(codeB[i])];
      const tagged = cell.metadata?.tags?.includes(MEASURED_TAG) === true;
      if (shownA !== shownB && !tagged) unmarked.push(`${where}, not tagged "${MEASURED_TAG}":\n${firstDifference(shownA, shownB)}`);
      if (shownA === shownB && tagged) steady.push(where);
    });
  });
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(`${lessons.length} lesson${lessons.length === 1 ? '' : 's'} run twice in ${minutes} min (executed notebooks in ${path.relative(root, scratch)}/run-1 and run-2).`);
  for (const failure of failed) console.log(`\nFAILED ${failure}`);
  console.log(`\n${unmarked.length} cells differ between the runs without the tag "${MEASURED_TAG}"${unmarked.length ? ':' : '.'}`);
  for (const cell of unmarked) console.log(cell);
  console.log(`\n${steady.length} cells tagged "${MEASURED_TAG}" showed the same output in both runs${steady.length ? ':' : '.'}`);
  for (const cell of steady) console.log(`  ${cell}`);
  return unmarked.length + failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
