/**
 * `npm run bench:diagrams -- --render`: how fast the renderer draws the course's diagrams, each in
 * both themes, against the anchor of one `mmdc` process (a browser of its own) per diagram and
 * theme, in the same run; and, for the record, mermaid-cli's `renderMermaid` in one browser, which
 * loads mermaid into a new page for every diagram. Nothing is cached. Goal: at least 5x the anchor.
 * @module
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAYOUT, loadCourse } from '../course';
import { joinText, readNotebook, type Notebook } from '../notebook';
import { BROWSER_ARGS, findChromium } from '../programs';
import { lessonFigures } from './lesson-figures';
import { DiagramRenderer, type DiagramSource } from './renderer';

const GOAL = 5;
const THEMES = ['default', 'dark'];

const fences = (markdown: string, where: string): DiagramSource[] => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => ({ code: match[1], where }));

/** The mermaid blocks a notebook shows: in its markdown cells and in the Markdown its code displayed. */
function notebookFences(notebook: Notebook, where: string): DiagramSource[] {
  return notebook.cells.flatMap((cell) => [
    ...(cell.cell_type === 'markdown' ? fences(joinText(cell.source), where) : []),
    ...(cell.outputs ?? []).flatMap((output) => ('data' in output && output.data['text/markdown'] ? fences(joinText(output.data['text/markdown'] as string[]), `${where}, output`) : [])),
  ]);
}

/** Every distinct diagram of the course: the lessons' figures and blocks, and the exercises' READMEs. */
function courseDiagrams(root: string): DiagramSource[] {
  const course = loadCourse(root);
  const found = [
    ...course.lessons.flatMap((lesson) => {
      const notebook = readNotebook(path.join(root, lesson.file));
      const figures = lessonFigures(root, lesson, notebook).flatMap((figure) => (figure.code === undefined ? [] : [{ code: figure.code, where: figure.sourceFile }]));
      return [...figures, ...notebookFences(notebook, lesson.file)];
    }),
    ...course.exercises.flatMap((exercise) => (fs.existsSync(path.join(root, exercise.readme)) ? fences(fs.readFileSync(path.join(root, exercise.readme), 'utf8'), exercise.readme) : [])),
  ];
  return [...new Map(found.map((source) => [source.code.trim(), source])).values()];
}

/** Seconds to draw `sources` in both themes with one `mmdc` process per diagram and theme: the anchor. */
export function drawWithMmdcEach(root: string, sources: DiagramSource[], scratch: string): number {
  const config = path.join(scratch, 'puppeteer.json');
  fs.writeFileSync(config, JSON.stringify({ executablePath: findChromium(), args: BROWSER_ARGS }));
  const mmdc = path.join(root, 'node_modules', '.bin', 'mmdc');
  const start = performance.now();
  sources.forEach((source, i) => {
    const input = path.join(scratch, `${i}.mmd`);
    fs.writeFileSync(input, source.code);
    for (const theme of THEMES) execFileSync(mmdc, ['-q', '-p', config, '-t', theme, '-i', input, '-o', path.join(scratch, `${i}.${theme}.svg`)], { stdio: 'pipe' });
  });
  return (performance.now() - start) / 1000;
}

/** Seconds to draw `sources` in both themes in one browser with mermaid-cli's renderMermaid: a new page, mermaid loaded again, per diagram and theme. */
async function drawWithPagePerDiagram(sources: DiagramSource[]): Promise<number> {
  const [{ renderMermaid }, { default: puppeteer }] = await Promise.all([import('@mermaid-js/mermaid-cli'), import('puppeteer')]);
  const start = performance.now();
  const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: BROWSER_ARGS });
  try {
    for (const source of sources) for (const theme of THEMES) await renderMermaid(browser, source.code, 'svg', { backgroundColor: 'transparent', mermaidConfig: { theme: theme as 'dark' } });
  } finally {
    await browser.close();
  }
  return (performance.now() - start) / 1000;
}

/** Seconds for the renderer, as the site build uses it, to draw `sources` in both themes, cache ignored. */
async function drawWithRenderer(sources: DiagramSource[], scratch: string): Promise<number> {
  const start = performance.now();
  await new DiagramRenderer({ cacheDir: scratch, browserPath: findChromium(), noCache: true }).prepare(sources);
  return (performance.now() - start) / 1000;
}

export async function renderBench(root: string): Promise<number> {
  const sources = courseDiagrams(root);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-bench-'));
  try {
    console.log(`${sources.length} diagrams of ${path.basename(root)}'s ${LAYOUT.lessons} and ${LAYOUT.exercises}, each in 2 themes, nothing cached:`);
    const renderer = await drawWithRenderer(sources, scratch);
    const pagePerDiagram = await drawWithPagePerDiagram(sources);
    const anchor = drawWithMmdcEach(root, sources, scratch);
    const rows: [string, number][] = [
      ['one mmdc process per diagram and theme (anchor)', anchor],
      ["one browser, a new page per diagram and theme (mermaid-cli's renderMermaid)", pagePerDiagram],
      ['one browser, one page that loads mermaid once (the renderer)', renderer],
    ];
    console.log('| how | seconds | vs the anchor |\n| --- | ---: | ---: |');
    for (const [how, seconds] of rows) console.log(`| ${how} | ${seconds.toFixed(1)} | ${(anchor / seconds).toFixed(1)}x |`);
    const speedup = anchor / renderer;
    console.log(`the renderer: ${speedup.toFixed(1)}x faster than the anchor (goal: at least ${GOAL}x) ${speedup >= GOAL ? 'met' : 'NOT met'}`);
    return speedup >= GOAL ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
