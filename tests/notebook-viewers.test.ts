// What a student sees of the lessons' diagrams, in the Jupyter the README installs (Debian's
// classic Notebook 6.4) and in an HTML export: every diagram is an SVG image, and no mermaid
// source shows as raw text.
// - Notebook 6.4's web UI, driven in Chromium: two lessons run with the menu's Cell → Run All.
//   The notebooks are copies inside the workbook (its .cache), so Notebook's autosave cannot
//   write outputs into the lessons.
// - `jupyter nbconvert --to html` of every lesson as the tests executed it, opened in Chromium.
// Without Jupyter or Chromium these tests are skipped, except under CI=true.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoot, LAYOUT, loadLessons, type Lesson } from '../tooling/course';
import { joinText, readNotebook } from '../tooling/notebook';
import { killTree } from '../tooling/processes';
import { BROWSER_ARGS, findChromium, findJupyter } from '../tooling/programs';
import { executeCached, lessonDependencies } from '../site/src/execution';
import { DEFAULT_CACHE_DIR } from '../site/src/site';
import { listeningPort } from './support/listening-port';

const root = findRoot();
const lessons = loadLessons(root);
const jupyter = findJupyter();
const browserPath = (() => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
})();
const missing = !jupyter ? 'Jupyter' : !browserPath ? 'Chromium' : undefined;
if (missing && process.env.CI === 'true') {
  it(`finds ${missing} to show the notebooks as a student sees them (required under CI=true)`, () => {
    throw new Error(`${missing} was not found: run ./setup`);
  });
}

/** Mermaid's diagram keywords: seen as text on the page, they are a diagram nobody drew. */
const RAW_MERMAID = /\b(sequenceDiagram|stateDiagram(-v2)?|flowchart (LR|RL|TD|TB|BT)|graph (LR|RL|TD|TB|BT)|accTitle:)/;

/** The diagrams a lesson has: images attached to markdown cells, and cells that call showMermaid. */
function expectedDiagrams(lesson: Lesson): { figures: number; shown: number } {
  const cells = readNotebook(path.join(root, lesson.file)).cells;
  return {
    figures: cells.reduce((n, cell) => n + Object.keys(cell.attachments ?? {}).length, 0),
    shown: cells.filter((cell) => cell.cell_type === 'code' && /\bshowMermaid\(/.test(joinText(cell.source))).length,
  };
}

interface SeenDiagrams {
  /** Attached images (data: URLs of SVG) that loaded, with a size. */
  figures: number;
  /** Images the kernel drew (inline SVG, or an <img> of it), with a size. */
  shown: number;
  /** Images that did not load or have no size. */
  broken: string[];
  /** Lines of visible text that are mermaid source. */
  rawMermaid: string[];
}

/** What the page shows of diagrams. */
function seenDiagrams(page: Page): Promise<SeenDiagrams> {
  return page.evaluate((rawMermaid) => {
    const sized = (element: Element) => {
      const box = element.getBoundingClientRect();
      return box.width > 20 && box.height > 20;
    };
    const images = Array.from(document.querySelectorAll('img')).filter((img) => img.src.startsWith('data:image/svg+xml'));
    const drawn = Array.from(document.querySelectorAll('svg[data-mermaid-source]'));
    const isFigure = (img: HTMLImageElement) => img.closest('.text_cell, .jp-MarkdownCell') !== null;
    const broken = [...images.filter((img) => !(img.complete && img.naturalWidth > 0 && sized(img))), ...drawn.filter((svg) => !sized(svg))].map(
      (element) => element.outerHTML.slice(0, 120),
    );
    const pattern = new RegExp(rawMermaid);
    return {
      figures: images.filter((img) => isFigure(img) && img.naturalWidth > 0).length,
      shown: drawn.filter(sized).length + images.filter((img) => !isFigure(img) && img.naturalWidth > 0).length,
      broken,
      rawMermaid: document.body.innerText.split('\n').filter((line) => pattern.test(line)),
    };
  }, RAW_MERMAID.source);
}

/** Every diagram of `lesson` is on the page as an image that loaded, and no mermaid source shows as text. */
async function expectEveryDiagramShown(page: Page, lesson: Lesson): Promise<void> {
  const seen = await seenDiagrams(page);
  const expected = expectedDiagrams(lesson);
  expect(seen.rawMermaid, 'mermaid source visible as text').toEqual([]);
  expect(seen.broken, 'diagram images that did not load').toEqual([]);
  expect(seen.figures, 'images in markdown cells').toBe(expected.figures);
  expect(seen.shown, 'images the cells displayed').toBeGreaterThanOrEqual(expected.shown);
}

let browser: Browser;
beforeAll(async () => {
  if (!missing) browser = await chromium.launch({ executablePath: browserPath, args: ['--headless', ...BROWSER_ARGS] });
}, 60_000);
afterAll(async () => browser?.close());

describe.skipIf(missing)('the classic Jupyter Notebook shows every diagram as an image', () => {
  const UI_LESSONS = lessons.filter((lesson) => ['01', '06'].includes(lesson.number));
  const copies = path.join(root, LAYOUT.cache, 'notebook-ui');
  const token = `t${process.pid}${Date.now()}`;
  let server: ChildProcess;
  let base: string;

  beforeAll(async () => {
    fs.rmSync(copies, { recursive: true, force: true });
    fs.mkdirSync(copies, { recursive: true });
    for (const lesson of UI_LESSONS) fs.copyFileSync(path.join(root, lesson.file), path.join(copies, path.basename(lesson.file)));
    const args = ['notebook', '--no-browser', '--ip=127.0.0.1', '--port=0', '--port-retries=0', `--NotebookApp.token=${token}`, `--notebook-dir=${root}`];
    args.push('--ContentsManager.allow_hidden=True', '--NotebookApp.open_browser=False');
    if (process.getuid?.() === 0) args.push('--allow-root');
    server = spawn(jupyter as string, args, { cwd: copies, stdio: 'ignore', detached: true });
    base = `http://127.0.0.1:${await listeningPort(server.pid as number, 30_000)}`;
  }, 60_000);
  afterAll(() => {
    killTree(server?.pid);
    fs.rmSync(copies, { recursive: true, force: true });
  });

  it.each(UI_LESSONS.map((lesson) => [lesson.file, lesson] as const))('%s, run with Cell → Run All', async (_file, lesson) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      const relative = path.relative(root, path.join(copies, path.basename(lesson.file))).split(path.sep).join('/');
      await page.goto(`${base}/notebooks/${relative}?token=${token}`);
      await page.waitForFunction(() => {
        const kernel = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook?.kernel;
        return kernel?.is_connected() === true;
      }, undefined, { timeout: 60_000 });
      await page.click('#menus a.dropdown-toggle:text-is("Cell")');
      const runAll = page.locator('#run_all_cells');
      expect(await runAll.innerText(), 'the menu item the lessons name').toBe('Run All');
      await runAll.click();
      await page.waitForFunction(
        () => {
          const notebook = (window as unknown as { Jupyter: { notebook: { get_cells(): { cell_type: string; input_prompt_number?: number | string }[] } } }).Jupyter.notebook;
          const done = notebook.get_cells().every((cell) => cell.cell_type !== 'code' || typeof cell.input_prompt_number === 'number');
          return done && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
        },
        undefined,
        { timeout: 170_000, polling: 500 },
      );
      const errors = await page.locator('.output_error').allInnerTexts();
      expect(errors, 'cells that failed').toEqual([]);
      await expectEveryDiagramShown(page, lesson);
      await expectGradedInPlace(page, lesson);
    } finally {
      await page.close();
    }
  }, 240_000);
});

/**
 * A lesson's Practise cell (`await grade(...)`, tagged skip-execution so that builds leave it out)
 * grades its exercises where the student reads: under the cell, the grader's table as rich output.
 */
async function expectGradedInPlace(page: Page, lesson: Lesson): Promise<void> {
  const cells = readNotebook(path.join(root, lesson.file)).cells.filter((cell) => cell.cell_type === 'code' && joinText(cell.source).includes(`${LAYOUT.grader}/notebook`));
  const graded = [...cells.map((cell) => joinText(cell.source)).join('\n').matchAll(/'(\d\d)'/g)].map((m) => m[1]);
  if (graded.length === 0) return;
  const shown = (await page.locator('.output_html pre').allInnerTexts()).join('\n');
  for (const number of graded) expect(shown, `the grade of exercise ${number} under the Practise cell`).toMatch(new RegExp(`${number}-[a-z-]+ +\\S+ +\\d+/\\d+`));
  expect(shown).toContain('What the checks look for');
  // Each failed network check's diagram, drawn inline, links to its files in the exercise's traces/, which Jupyter serves.
  const figures = page.locator('.output_html figure');
  const links = await figures.locator('a').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
  expect(links.length, 'two links (the SVG, its mermaid source) under each diagram').toBe(2 * (await figures.count()));
  for (const href of links) {
    expect(href).toMatch(/\/exercises\/\d\d-[a-z-]+\/traces\/[^/]+\.(svg|mmd)$/);
    // As a click sends it: Jupyter serves /files/ only to a page of its own (the Referer).
    const response = await page.request.get(href, { headers: { Referer: page.url() } });
    expect(response.status(), href).toBe(200);
    expect(await response.text(), href).toMatch(/^(<svg|sequenceDiagram)/);
  }
  if (links.length === 0) return;
  // And clicked, the first opens the drawing in a tab of its own.
  const [opened] = await Promise.all([page.context().waitForEvent('page'), figures.locator('a').first().click()]);
  await opened.waitForLoadState();
  expect(opened.url()).toMatch(/\/files\/exercises\/\d\d-[a-z-]+\/traces\/[^/]+\.svg$/);
  expect(await opened.locator('svg[data-mermaid-source]').count()).toBe(1);
  await opened.close();
}

describe.skipIf(missing)('an HTML export (jupyter nbconvert) shows every diagram as an image', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nbconvert-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  beforeAll(async () => {
    const dependencies = lessonDependencies(root, root);
    for (const lesson of lessons) {
      const { notebook } = await executeCached(lesson.file, { root, cacheDir: DEFAULT_CACHE_DIR, dependencies });
      fs.writeFileSync(path.join(scratch, path.basename(lesson.file)), JSON.stringify({ nbformat: 4, nbformat_minor: 5, ...notebook }));
    }
    const files = lessons.map((lesson) => path.basename(lesson.file));
    const run = spawnSync(jupyter as string, ['nbconvert', '--to', 'html', ...files], { cwd: scratch, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  }, 600_000);

  it.each(lessons.map((lesson) => [lesson.file, lesson] as const))('%s', async (file, lesson) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(`file://${path.join(scratch, path.basename(file).replace(/\.ipynb$/, '.html'))}`);
      await expectEveryDiagramShown(page, lesson);
    } finally {
      await page.close();
    }
  }, 60_000);
});
