/**
 * `npm run bench:site`, measured in one run on a scratch copy of the workbook (so that the prose
 * edit touches no file of yours):
 *  - the cold build (empty cache: every notebook executed, every diagram rendered in both themes,
 *    typedoc run, search indexed);
 *  - a second build with nothing changed (goal: at most 10% of the cold build), and whether it
 *    wrote the same bytes;
 *  - a build after an edit of one lesson's prose (goal: at most 10% of the cold build: no notebook
 *    runs again);
 *  - one light lesson executed with the kernel's speed-ups (tooling/kernel/speedups.cjs) against
 *    the same lesson without them, median of three runs each (no goal: what the speed-ups save);
 *  - rendering the site's diagrams with one browser against one `mmdc` process per diagram and
 *    theme (goal: 5x);
 *  - the largest course page with everything it loads, fonts excepted (goal: at most 150 KB), and
 *    apart, print.html, the whole course on one page to print (no goal).
 */
import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { findChromium } from '../../tooling/programs';
import { LAYOUT } from '../../tooling/course';
import { joinText, readNotebook, type Notebook } from '../../tooling/notebook';
import { listFiles, sha256 } from '../../tooling/cache';
import { executeNotebook } from '../../tooling/notebooks/run';
import { findJupyterPython } from '../../tooling/programs';
import { DiagramRenderer, type DiagramSource } from '../../tooling/diagrams/renderer';
import { drawWithMmdcEach } from '../../tooling/diagrams/render-bench';
import { REPO_ROOT, buildSite, temporaryDir } from '../src/site';

const FONT = /\.(woff2?|ttf|otf|eot)$/i;
const goal = (ok: boolean, text: string) => (ok ? pc.green(`${text} ✓`) : pc.red(`${text} ✗`));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** A page's weight: its HTML and the local stylesheets, scripts and images it loads, without fonts. */
function pageWeight(outDir: string, page: string): number {
  const html = fs.readFileSync(path.join(outDir, page), 'utf8');
  const assets = new Set<string>();
  for (const [, , url] of html.matchAll(/<(link|script|img)\b[^>]*?\s(?:href|src)="([^"]+)"/g)) {
    if (/^(data:|https?:|#)/.test(url) || FONT.test(url)) continue;
    assets.add(path.join(path.dirname(page), url.split(/[?#]/)[0]));
  }
  let bytes = Buffer.byteLength(html);
  for (const asset of assets) {
    const file = path.join(outDir, asset);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) bytes += fs.statSync(file).size;
  }
  return bytes;
}

function largest(outDir: string, pages: string[]): { page: string; bytes: number } {
  return pages.map((page) => ({ page, bytes: pageWeight(outDir, page) })).reduce((a, b) => (b.bytes > a.bytes ? b : a), { page: '-', bytes: 0 });
}

async function renderWithOneBrowser(sources: DiagramSource[], cacheDir: string): Promise<number> {
  const start = performance.now();
  await new DiagramRenderer({ cacheDir, browserPath: findChromium(), noCache: true }).prepare(sources);
  return (performance.now() - start) / 1000;
}

/** A copy of the workbook's course and tooling (the kernel's speed-ups are there; its node_modules linked) that the bench may edit. */
function copyWorkbook(target: string): string {
  fs.mkdirSync(target, { recursive: true });
  for (const part of [LAYOUT.courseFile, 'package.json', 'tsconfig.json', LAYOUT.lessons, LAYOUT.exercises, LAYOUT.toolkit, LAYOUT.tooling]) {
    fs.cpSync(path.join(REPO_ROOT, part), path.join(target, part), { recursive: true, filter: (source) => !/(^|[/\\])(node_modules|\.ipynb_checkpoints|__pycache__)$/.test(source) });
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
  return target;
}

/** Adds a sentence to the first markdown cell after the title of the first lesson: prose only. */
function editProse(root: string, lessonFile: string): void {
  const file = path.join(root, lessonFile);
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  const cell = notebook.cells.find((c, i) => i > 0 && c.cell_type === 'markdown') ?? notebook.cells[0];
  cell.source = [...(Array.isArray(cell.source) ? cell.source : [cell.source]), '\n\nA sentence the bench added.'];
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1));
}

/** The lesson with the least code: its run is mostly the kernel's start. */
function lightestLesson<L extends { file: string }>(root: string, lessons: L[]): L {
  const codeLength = (lesson: L) =>
    readNotebook(path.join(root, lesson.file))
      .cells.filter((cell) => cell.cell_type === 'code')
      .reduce((length, cell) => length + joinText(cell.source).length, 0);
  const lengths = lessons.map(codeLength);
  return lessons[lengths.indexOf(Math.min(...lengths))];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Seconds to execute `lesson` in a fresh kernel with and without the kernel's speed-ups (their caches warm). */
async function kernelSpeedups(root: string, lesson: string): Promise<{ on: number; off: number }> {
  const python = findJupyterPython();
  if (!python) throw new Error('no Jupyter to execute notebooks with: run ./setup');
  const runs: { on: number[]; off: number[] } = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ['on', 'off'] as const) {
      const start = performance.now();
      const run = await executeNotebook(lesson, { python, root, env: mode === 'off' ? { WORKBOOK_KERNEL_SPEEDUPS: 'off' } : {} });
      if (!run.ok) throw new Error(`${lesson} failed in the kernel speed-up measurement: ${JSON.stringify(run.failure)}`);
      runs[mode].push((performance.now() - start) / 1000);
    }
  }
  return { on: median(runs.on), off: median(runs.off) };
}

const hashes = (dir: string) => listFiles(dir).map((file) => `${file} ${sha256(fs.readFileSync(path.join(dir, file)))}`).join('\n');

async function main() {
  const scratch = temporaryDir('site-bench-');
  try {
    const root = copyWorkbook(path.join(scratch, 'workbook'));
    const options = { root, outDir: path.join(scratch, 'site'), cacheDir: path.join(scratch, 'cache') };
    console.log(pc.bold('Course site bench') + pc.dim(` (${scratch})`));

    const cold = await buildSite(options);
    const { stages } = cold;
    console.log(
      `cold build:          ${cold.seconds.toFixed(1)} s  ` +
        pc.dim(
          `(${cold.notebooks.executed} notebooks ${stages.notebooks.toFixed(1)} s, ${cold.diagrams.rendered} diagrams ${stages.diagrams.toFixed(1)} s, typedoc ${stages.api.toFixed(1)} s in parallel, pages ${stages.pages.toFixed(1)} s, search ${stages.search.toFixed(1)} s)`,
        ),
    );
    const coldFiles = hashes(cold.outDir);
    const warm = await buildSite(options);
    const ratio = warm.seconds / cold.seconds;
    const same = hashes(warm.outDir) === coldFiles;
    console.log(
      `rebuild, no change:  ${warm.seconds.toFixed(2)} s  = ${(ratio * 100).toFixed(1)}% of cold  ${goal(ratio <= 0.1, 'goal ≤ 10%')}  ${goal(same, same ? 'same bytes' : 'different bytes')}` +
        pc.dim(`  (${warm.notebooks.executed} executed, ${warm.diagrams.rendered} rendered, API ${warm.api})`),
    );
    editProse(root, cold.course.lessons[0].file);
    const prose = await buildSite(options);
    const proseRatio = prose.seconds / cold.seconds;
    console.log(
      `rebuild, prose edit: ${prose.seconds.toFixed(2)} s  = ${(proseRatio * 100).toFixed(1)}% of cold  ${goal(proseRatio <= 0.1, 'goal ≤ 10%')}` +
        pc.dim(`  (${cold.course.lessons[0].file}: ${prose.notebooks.executed} executed, ${prose.notebooks.cached} cached)`),
    );

    const light = lightestLesson(root, cold.course.lessons);
    const kernel = await kernelSpeedups(root, light.file);
    console.log(
      `kernel speed-ups:    ${light.file} ${kernel.on.toFixed(1)} s with them, ${kernel.off.toFixed(1)} s without: ${(kernel.off / kernel.on).toFixed(1)}x` +
        pc.dim('  (median of 3 each; the cost of starting a kernel, which a cold build pays once per lesson)'),
    );

    const sources = cold.diagramSources;
    const oneBrowser = await renderWithOneBrowser(sources, options.cacheDir);
    const mmdcEach = drawWithMmdcEach(REPO_ROOT, sources, scratch);
    const speedup = mmdcEach / oneBrowser;
    console.log(
      `${sources.length} diagrams × 2 themes: one browser ${oneBrowser.toFixed(1)} s, one mmdc per diagram and theme ${mmdcEach.toFixed(1)} s: ${speedup.toFixed(1)}x faster  ${goal(speedup >= 5, 'goal ≥ 5x')}`,
    );
    const cachedStart = performance.now();
    await new DiagramRenderer({ cacheDir: options.cacheDir, browserPath: findChromium() }).prepare(sources);
    console.log(pc.dim(`                     with the content-hash cache: ${((performance.now() - cachedStart) / 1000).toFixed(2)} s`));

    // print.html is the whole course on one page, for "Save as PDF": large by design, and said apart.
    const course = largest(cold.outDir, cold.coursePages.filter((page) => page !== 'print.html'));
    const book = largest(cold.outDir, cold.coursePages.filter((page) => page === 'print.html'));
    const api = largest(cold.outDir, cold.pages.filter((page) => page.startsWith('api/')));
    console.log(`largest course page: ${course.page} ${kb(course.bytes)} with its CSS, JS and images, no fonts  ${goal(course.bytes <= 150 * 1024, 'goal ≤ 150 KB')}`);
    if (book.bytes > 0) console.log(pc.dim(`the whole course:    ${book.page} ${kb(book.bytes)} (every lesson and exercise on one page, to print; no goal)`));
    console.log(pc.dim(`largest API page:    ${api.page} ${kb(api.bytes)} (typedoc's own theme: ~130 KB of shared CSS and JS)`));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(pc.red(error.message));
  process.exitCode = 1;
});
