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
import { validatePages } from './html-validate';

const FIXTURE_COURSE = path.join(__dirname, '..', 'fixtures', 'course');
const scratch = temporaryDir('site-navigation-test-');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } satisfies BrowserContextOptions;
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

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, as "rule: target". */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await run.run(document);
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
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

describe('on a phone', () => {
  it.each(['light', 'dark'] as const)('opens the contents as a drawer from the button at the top (%s)', { timeout: 60_000 }, async (colorScheme) => {
    const page = await open(root, 'lessons/02-no-code.html', { ...PHONE, colorScheme });
    const toggle = page.locator('.drawer-toggle');
    const drawer = page.locator('#contents');
    expect(await toggle.isVisible()).toBe(true);
    expect((await toggle.boundingBox())?.y).toBeLessThan(60);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await drawer.isVisible()).toBe(false);

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.waitForFunction(() => (document.getElementById('contents') as HTMLElement).getBoundingClientRect().left >= 0);
    expect(await drawer.isVisible()).toBe(true);
    const box = await drawer.boundingBox();
    expect(box?.x).toBe(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    const hrefs = await drawer.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(expect.arrayContaining(['01-first-steps.html', '02-no-code.html', '../exercises/01-echo.html', '../quiz.html']));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
    expect(await axe(page)).toEqual([]);

    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('drawer-toggle'))).toBe(true);
    await page.waitForFunction(() => getComputedStyle(document.getElementById('contents') as HTMLElement).visibility === 'hidden');

    await toggle.click();
    await drawer.locator('a[href$="01-echo.html"]').click();
    await page.waitForURL('**/exercises/01-echo.html');
    await page.context().close();
  });

  it("lists the page's sections above its content, collapsed", { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/02-no-code.html', PHONE);
    const toc = page.locator('details.toc-top');
    expect(await toc.isVisible()).toBe(true);
    expect((await toc.boundingBox())?.y).toBeLessThan((await page.locator('main h1').boundingBox())?.y ?? 0);
    expect(await toc.getAttribute('open')).toBeNull();
    expect(await toc.locator('a').first().isVisible()).toBe(false);
    await toc.locator('summary').click();
    expect(await toc.locator('a').allTextContents()).toEqual(['A diagram only', 'A wide diagram', 'Long lines of code', 'Summary']);
    await toc.locator('a', { hasText: 'Summary' }).click();
    expect(new URL(page.url()).hash).toBe('#summary');
    await page.context().close();
  });

  it('works without JavaScript: the header links to the contents after the page, and the sections still open', { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/02-no-code.html', { ...PHONE, javaScriptEnabled: false });
    expect(await page.locator('.drawer-toggle').isVisible()).toBe(false);
    await page.click('.contents-link');
    expect(await page.locator('#contents').isVisible()).toBe(true);
    expect((await page.locator('#contents').boundingBox())?.y).toBeGreaterThan((await page.locator('main').boundingBox())?.y ?? 0);
    await page.locator('details.toc-top summary').click();
    expect(await page.locator('details.toc-top a').first().isVisible()).toBe(true);
    await page.context().close();
  });

  it('keeps the sidebar on a wide screen: no drawer button, no list above the content', { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/02-no-code.html', DESKTOP);
    expect(await page.locator('.drawer-toggle').isVisible()).toBe(false);
    expect(await page.locator('.contents-link').isVisible()).toBe(false);
    expect(await page.locator('details.toc-top').isVisible()).toBe(false);
    expect(await page.locator('#contents').isVisible()).toBe(true);
    expect((await page.locator('#contents').boundingBox())?.x).toBeLessThan(300);
    expect(await page.locator('#contents .toc a').count()).toBe(4);
    await page.context().close();
  });
});

describe('every course page of both builds', () => {
  it('is valid HTML (html-validate)', { timeout: 60_000 }, async () => {
    for (const site of [root, published]) expect(await validatePages(site.report.outDir, site.report.coursePages)).toEqual({});
  });

  it('has no serious or critical axe violation and never scrolls sideways, on a phone (light) and a wide screen (dark)', { timeout: 120_000 }, async () => {
    const found: string[] = [];
    for (const options of [PHONE, { ...DESKTOP, colorScheme: 'dark' as const }]) {
      const page = await (await browser.newContext(options)).newPage();
      for (const file of root.report.coursePages) {
        await page.goto(root.server.url + file);
        found.push(...(await axe(page)).map((violation) => `${file} at ${options.viewport.width} px: ${violation}`));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > options.viewport.width) found.push(`${file} at ${options.viewport.width} px scrolls sideways (${width} px)`);
      }
      await page.context().close();
    }
    expect(found).toEqual([]);
  });
});
