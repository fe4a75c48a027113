// The build as a whole, on the fixture courses: it stops with a useful message on a broken
// diagram, on invalid quiz data and without a browser; a rebuild with nothing changed reuses
// every cached stage and writes the same bytes; stale pages are removed; a published build has
// its sitemap, robots.txt, canonical links (the API reference's too) and link-preview cards; each lesson's notebook is there to download.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../tooling/notebook';
import { listFiles, sha256 } from '../../tooling/cache';
import { DiagramError } from '../../tooling/diagrams/renderer';
import { buildSite, temporaryDir } from '../src/site';

/** Every file of a built site and its hash. */
const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((file) => [file, sha256(fs.readFileSync(path.join(dir, file)))]));

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const scratch = temporaryDir('site-build-test-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the build stops with a message that says what to fix', () => {
  it('names the notebook, the cell and mermaid\'s message for a broken diagram', { timeout: 120_000 }, async () => {
    // Its own cache: a broken diagram must really go through mermaid.
    const build = buildSite({ root: path.join(FIXTURES, 'broken-diagram'), outDir: path.join(scratch, 'broken'), cacheDir: path.join(scratch, 'broken-cache'), api: false });
    await expect(build).rejects.toThrow(DiagramError);
    await expect(build).rejects.toThrow(/lessons\/01-broken\.ipynb, cell 2 \(markdown, id cell2\):\nParse error on line \d+:[^]*Expecting 'STR'/);
  });

  it('names the question when the quiz data is invalid', async () => {
    const build = buildSite({ root: path.join(FIXTURES, 'bad-quiz'), outDir: path.join(scratch, 'bad-quiz'), api: false });
    await expect(build).rejects.toThrow(/question "two-right-answers" has 2 correct choices/);
  });

  it('says how to get a browser when there is none', async () => {
    const build = buildSite({
      root: path.join(FIXTURES, 'course'),
      outDir: path.join(scratch, 'no-browser'),
      env: { PUPPETEER_EXECUTABLE_PATH: '/nowhere/chromium' },
      api: false,
    });
    await expect(build).rejects.toThrow(/PUPPETEER_EXECUTABLE_PATH is "\/nowhere\/chromium".*apt-get install chromium/s);
  });
});

describe('rebuilding', () => {
  it('reuses the notebook runs, the diagrams and the API reference, writes the same bytes, and removes stale files', { timeout: 240_000 }, async () => {
    const outDir = path.join(scratch, 'rebuild');
    const options = { root: path.join(FIXTURES, 'course'), outDir, baseUrl: 'https://example.org/fixture' };
    await buildSite(options);
    const first = snapshot(outDir);
    fs.writeFileSync(path.join(outDir, 'lessons', 'renamed-long-ago.html'), 'stale');

    const second = await buildSite(options);
    expect(second.notebooks).toEqual({ executed: 0, cached: 1, 'no code': 1 });
    expect(second.diagrams).toMatchObject({ found: 5, distinct: 5, rendered: 0, fromCache: 5 });
    expect(second.api).toBe('cached');
    expect(second.cards).toEqual({ drawn: 0, fromCache: second.coursePages.length - 1 });
    expect(fs.existsSync(path.join(outDir, 'lessons', 'renamed-long-ago.html'))).toBe(false);
    expect(second.pages).toEqual(expect.arrayContaining(['index.html', 'lessons/01-first-steps.html', 'lessons/02-no-code.html', 'exercises/01-echo.html', 'quiz.html', 'quiz/01-first-steps.html', 'search.html', '404.html', 'api/index.html']));
    expect(second.pages).not.toContain('quiz/02-no-code.html');
    expect(snapshot(outDir)).toEqual(first);

    const read = (file: string) => fs.readFileSync(path.join(outDir, file), 'utf8');
    expect(read('sitemap.xml')).toContain('<url><loc>https://example.org/fixture/lessons/01-first-steps.html</loc></url>');
    expect(read('sitemap.xml')).not.toMatch(/404\.html|search\.html/);
    expect(read('robots.txt')).toContain('Sitemap: https://example.org/fixture/sitemap.xml');
    expect(read('lessons/01-first-steps.html')).toContain('<link rel="canonical" href="https://example.org/fixture/lessons/01-first-steps.html">');
    expect(read('api/netsim/Network.html')).toContain('<link rel="canonical" href="https://example.org/fixture/api/netsim/Network.html"/>');
    // A card per page but the 404 page: a PNG of Open Graph's size, named by the page.
    const card = fs.readFileSync(path.join(outDir, 'cards', 'lessons', '01-first-steps.png'));
    expect(card.subarray(1, 4).toString()).toBe('PNG');
    expect([card.readUInt32BE(16), card.readUInt32BE(20)]).toEqual([1200, 630]);
    expect(read('lessons/01-first-steps.html')).toContain('<meta property="og:image" content="https://example.org/fixture/cards/lessons/01-first-steps.png">');
    expect(fs.existsSync(path.join(outDir, 'cards', '404.png'))).toBe(false);
    expect(read('404.html')).not.toContain('<base');
    expect(read('404.html')).toContain('<a href="/fixture/index.html">home page</a>');
    expect(second.searchable).toEqual(['lessons/01-first-steps.html', 'lessons/02-no-code.html', 'exercises/01-echo.html', 'quiz.html', 'quiz/01-first-steps.html']);
    expect(fs.existsSync(path.join(outDir, 'pagefind', 'pagefind.js'))).toBe(true);

    // The lesson links its notebook, outputs cleared, and its exercise; the exercise links back.
    const notebook = JSON.parse(read('lessons/01-first-steps.ipynb')) as Notebook;
    expect(notebook.cells.filter((cell) => cell.cell_type === 'code').every((cell) => cell.outputs?.length === 0)).toBe(true);
    expect(read('lessons/01-first-steps.html')).toContain('<a href="01-first-steps.ipynb" download>');
    expect(read('lessons/01-first-steps.html')).toContain('<a href="../exercises/01-echo.html">Exercise 01: Echo</a>');
    expect(read('exercises/01-echo.html')).toContain('practises <a href="../lessons/01-first-steps.html">Lesson 01 · First steps</a>');
    expect(read('exercises/01-echo.html')).toContain('It runs the public checks');

    // The lesson links its quiz page, which links back; the whole-course page lists it and samples it.
    expect(read('lessons/01-first-steps.html')).toContain('<a href="../quiz/01-first-steps.html">the quiz on this lesson</a>, 2 questions with explanations');
    expect(read('lessons/02-no-code.html')).not.toContain('quiz/');
    expect(read('quiz/01-first-steps.html')).toContain('2 questions on <a href="../lessons/01-first-steps.html">Lesson 01 · First steps</a>');
    expect(read('quiz.html')).toContain('<a href="quiz/01-first-steps.html">Lesson 01 · First steps</a> <span class="meta">2 questions</span>');
    expect(read('quiz.html').match(/data-question/g)).toHaveLength(2);
  });
});
