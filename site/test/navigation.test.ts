// How a reader moves through the fixture site in Chromium (playwright-core, Debian's browser):
// previous/next in the course's reading order, exercises named "Exercise NN: …" everywhere, the
// contents drawer and the on-this-page list on a phone, diagrams that fit or open full-screen,
// the 404 page at any address, print, and the keyboard shortcuts. The fixture site is built twice:
// at the root, and published under /course/ (`--base-url`), as GitHub Pages serves a project site.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, findChromium } from '../../tooling/programs';
import { serveSite, type SiteServer } from '../src/server';
import { buildSite, temporaryDir, type BuildReport } from '../src/site';

const FIXTURE_COURSE = path.join(__dirname, '..', 'fixtures', 'course');
const scratch = temporaryDir('site-navigation-test-');
const DESKTOP = { viewport: { width: 1280, height: 800 } } satisfies BrowserContextOptions;

interface Served {
  report: BuildReport;
  server: SiteServer;
}
let browser: Browser;
let root: Served;
let published: Served;

async function buildAndServe(name: string, base: string): Promise<Served> {
  const report = await buildSite({ root: FIXTURE_COURSE, outDir: path.join(scratch, name), api: false, baseUrl: base === '/' ? undefined : `https://example.org${base}` });
  return { report, server: await serveSite(report.outDir, { host: '127.0.0.1', port: 0, base }) };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', ...BROWSER_ARGS] });
  root = await buildAndServe('root', '/');
  published = await buildAndServe('published', '/course/');
}, 300_000);

afterAll(async () => {
  await Promise.all([root, published].filter(Boolean).map((site) => site.server.close()));
  await browser?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A new page of its own context at `file` of `site`. */
async function open(site: Served, file: string, options: BrowserContextOptions = DESKTOP): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(site.server.url + file);
  return page;
}

/** The site-relative path of the page shown. */
const here = (site: Served, page: Page) => new URL(page.url()).pathname.slice(new URL(site.server.url).pathname.length) || 'index.html';

const READING_ORDER = ['index.html', 'lessons/01-first-steps.html', 'exercises/01-echo.html', 'lessons/02-no-code.html', 'quiz.html', 'quiz/01-first-steps.html'];

describe('reading order', () => {
  it('leads from each lesson to the exercises that practise it, then to the next lesson, and back', { timeout: 60_000 }, async () => {
    const page = await open(root, 'index.html');
    const follow = async (rel: string) => {
      const visited = [here(root, page)];
      while ((await page.locator(`a[rel="${rel}"]`).count()) > 0) {
        await page.goto(await page.locator(`a[rel="${rel}"]`).evaluate((a) => (a as HTMLAnchorElement).href));
        visited.push(here(root, page));
      }
      return visited;
    };
    expect(await follow('next')).toEqual(READING_ORDER);
    const backward = await follow('prev');
    expect(backward).toEqual([...READING_ORDER].reverse());
    await page.context().close();
  });

  it('names an exercise "Exercise NN: …" in its title, heading, the contents, previous/next and search', { timeout: 60_000 }, async () => {
    const page = await open(root, 'exercises/01-echo.html');
    expect(await page.title()).toMatch(/^Exercise 01: Echo · /);
    expect(await page.textContent('h1')).toBe('Exercise 01: Echo');
    expect(await page.textContent('.sidebar a[aria-current="page"]')).toBe('Exercise 01: Echo');
    // In the contents, the exercise is listed under the lesson it practises.
    expect(await page.locator('.sidebar li:has(> a[href$="01-first-steps.html"]) ol a').allTextContents()).toEqual(['Exercise 01: Echo']);
    await page.goto(root.server.url + 'lessons/02-no-code.html');
    expect(await page.textContent('a[rel="prev"] .pager-title')).toBe('Exercise 01: Echo');
    await page.goto(root.server.url + 'lessons/01-first-steps.html');
    expect(await page.textContent('a[rel="next"] .pager-title')).toBe('Exercise 01: Echo');
    expect(await page.locator('.lesson-links a[href$="01-echo.html"]').textContent()).toBe('Exercise 01: Echo');
    await page.goto(root.server.url + 'search.html?q=echo');
    await page.waitForSelector('#search-results > li');
    expect(await page.locator('#search-results > li h2 a[href$="exercises/01-echo.html"]').textContent()).toBe('Exercise 01: Echo');
    await page.context().close();
  });
});
