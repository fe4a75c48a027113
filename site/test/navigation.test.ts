// How a reader moves through the fixture site in Chromium (playwright-core, Debian's browser):
// previous/next in the course's reading order, exercises named "Exercise NN: …" everywhere, the
// contents drawer and the on-this-page list on a phone, diagrams that fit or open full-screen,
// the 404 page at any address, print, search, the keyboard shortcuts, the links to the course's
// repository, and the API reference in the course's theme. The fixture site is built twice: at the
// root, with the API reference, and published under /course/ (`--base-url`), as GitHub Pages serves
// a project site, from a copy of the fixture whose course.json names no repository.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS, findChromium } from '../../tooling/programs';
import { FIT_TEXT_PX, MIN_TEXT_PX } from '../src/figures';
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

/** The fixture course without a repository: its course.json names none, and it has no dev container. */
function withoutRepository(): string {
  const copy = path.join(scratch, 'course-without-repository');
  fs.cpSync(FIXTURE_COURSE, copy, { recursive: true });
  const meta = JSON.parse(fs.readFileSync(path.join(copy, 'course.json'), 'utf8')) as { repository?: unknown };
  delete meta.repository;
  fs.writeFileSync(path.join(copy, 'course.json'), JSON.stringify(meta));
  fs.rmSync(path.join(copy, '.devcontainer'), { recursive: true });
  return copy;
}

async function buildAndServe(name: string, base: string, course = FIXTURE_COURSE, api = false): Promise<Served> {
  const report = await buildSite({ root: course, outDir: path.join(scratch, name), api, baseUrl: base === '/' ? undefined : `https://example.org${base}` });
  return { report, server: await serveSite(report.outDir, { host: '127.0.0.1', port: 0, base }) };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', ...BROWSER_ARGS] });
  root = await buildAndServe('root', '/', FIXTURE_COURSE, true);
  // After the root build, whose notebook run it finds in the cache.
  published = await buildAndServe('published', '/course/', withoutRepository());
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
    // Tab goes round the drawer's links, and past the last back to the first, never to the page behind.
    const stops: string[] = [];
    for (let i = 0; i < hrefs.length + 2; i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => (document.activeElement?.closest('#contents') ? 'drawer' : document.activeElement === document.body ? 'none' : (document.activeElement?.outerHTML.slice(0, 60) ?? ''))));
    }
    expect(stops.filter((stop) => stop !== 'drawer' && stop !== 'none')).toEqual([]);
    expect(stops.join(' ')).toMatch(/none drawer/);
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
    expect(await toc.locator('a').allTextContents()).toEqual(['A diagram only', 'A wide diagram', 'Long lines of code', 'Retry tokens: making requests safe', 'Summary']);
    await toc.locator('a', { hasText: 'Summary' }).click();
    expect(new URL(page.url()).hash).toBe('#summary');
    await page.context().close();
  });

  it('puts the copy button above a code block, where it covers no code; on a wide screen, it shows while the pointer is on the block', { timeout: 60_000 }, async () => {
    /** Per code block of the page: whether its copy button lies over a line of its code, and how opaque it is. */
    const copyButtons = (page: Page) =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('.code-block'), (block) => {
          const button = (block.querySelector('.copy') as HTMLElement).getBoundingClientRect();
          const code = document.createRange();
          code.selectNodeContents(block.querySelector('pre') as HTMLElement);
          const covers = Array.from(code.getClientRects()).some((line) => line.width > 0 && line.right > button.left && line.left < button.right && line.bottom > button.top && line.top < button.bottom);
          return { covers, opacity: getComputedStyle(block.querySelector('.copy') as HTMLElement).opacity };
        }),
      );
    const phone = await open(root, 'lessons/02-no-code.html', PHONE);
    expect(await copyButtons(phone)).toEqual([{ covers: false, opacity: '0.85' }]);
    await phone.context().close();
    const wide = await open(root, 'lessons/02-no-code.html', DESKTOP);
    expect(await copyButtons(wide)).toEqual([{ covers: true, opacity: '0' }]);
    await wide.hover('.code-block pre');
    expect((await copyButtons(wide))[0].opacity).toBe('0.85');
    await wide.context().close();
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
    expect(await page.locator('#contents .toc a').count()).toBe(5);
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

/** Each diagram of the page: whether it overflows its frame, its smallest text on screen, its accessible name. */
function diagrams(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('figure.diagram'), (figure) => {
      const svg = figure.querySelector(':scope > svg:not(.only-dark)') as SVGSVGElement;
      const scale = svg.getScreenCTM()?.a ?? 0;
      const labelledBy = svg.getAttribute('aria-labelledby');
      return {
        overflows: figure.scrollWidth > figure.clientWidth + 1,
        textPx: Math.min(...Array.from(svg.querySelectorAll('text'), (text) => parseFloat(getComputedStyle(text).fontSize) * scale)),
        name: (labelledBy ? document.getElementById(labelledBy)?.textContent : svg.getAttribute('aria-label'))?.trim() ?? '',
        cue: (figure.nextElementSibling as HTMLElement | null)?.matches('.diagram-cue:not([hidden])') ?? false,
      };
    }),
  );
}

/**
 * Labels of the page's diagrams whose contrast with what is drawn behind them is under 4.5:1, as
 * "text: ratio". Behind a label is the nearest shape with a fill; a shape drawn half-transparent
 * counts both as its fill and as that fill over the frame (an edge may run under a label).
 */
function lowContrastLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const over = (top: number[], alpha: number, bottom: number[]) => top.slice(0, 3).map((c, i) => c * alpha + bottom[i] * (1 - alpha));
    const found: string[] = [];
    for (const figure of Array.from(document.querySelectorAll('figure.diagram'))) {
      const frame = rgba(getComputedStyle(figure).backgroundColor);
      for (const text of Array.from(figure.querySelectorAll('svg text'))) {
        const box = text.getBoundingClientRect();
        if (box.width === 0 || getComputedStyle(text).visibility === 'hidden') continue;
        // A tspan may carry its own colour.
        const colour = rgba(getComputedStyle(text.querySelector('tspan') ?? text).fill);
        if (colour.length < 3) continue;
        let behind = [frame];
        for (const element of document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)) {
          if (element === figure) break;
          if (!(element instanceof SVGGeometryElement) || element.closest('text')) continue;
          const style = getComputedStyle(element);
          const fill = rgba(style.fill);
          if (style.fill === 'none' || fill.length < 3) continue;
          const alpha = (fill[3] ?? 1) * Number(style.fillOpacity) * Number(style.opacity);
          if (alpha === 0) continue;
          behind = alpha < 1 ? [over(fill, alpha, frame), fill] : [fill];
          break;
        }
        const contrast = (background: number[]) => {
          const [a, b] = [luminance(colour), luminance(background)];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        };
        const ratio = Math.min(...behind.map(contrast));
        if (ratio < 4.5) found.push(`${text.textContent?.trim()}: ${ratio.toFixed(2)}`);
      }
    }
    return found;
  });
}

describe('diagrams', () => {
  it(`fit a frame they overflow a little (text at least ${FIT_TEXT_PX} px); much wider, they scroll at ${MIN_TEXT_PX} px with a visible cue`, { timeout: 60_000 }, async () => {
    for (const options of [PHONE, DESKTOP]) {
      const page = await open(root, 'lessons/02-no-code.html', options);
      const [small, wide] = await diagrams(page);
      expect(small.overflows, `${options.viewport.width} px`).toBe(false);
      expect(small.cue).toBe(false);
      expect(small.textPx).toBeGreaterThanOrEqual(FIT_TEXT_PX - 0.05);
      expect(wide.overflows, `${options.viewport.width} px`).toBe(true);
      expect(wide.cue).toBe(true);
      expect(wide.textPx).toBeGreaterThanOrEqual(MIN_TEXT_PX - 0.05);
      expect(await page.locator('.diagram-cue').first().textContent()).toContain('Wider than the page');
      await page.context().close();
    }
  });

  it('open full-screen in a dialog on a tap, named by their title, and go back in place when closed', { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/02-no-code.html', PHONE);
    const wide = page.locator('figure.diagram').nth(1);
    await wide.tap();
    const dialog = page.locator('dialog.diagram-dialog');
    expect(await dialog.getAttribute('open')).not.toBeNull();
    expect(await page.locator('dialog.diagram-dialog svg').count()).toBe(1);
    expect(await wide.locator('svg').count()).toBe(0);
    expect(await page.locator('dialog.diagram-dialog').evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby') as string)?.textContent)).toBe(
      'Eight services pass one order along, each to the next, and the last one replies to the first',
    );
    // At its natural width: much wider than the phone, scrolled in the dialog.
    expect((await page.locator('dialog.diagram-dialog svg').boundingBox())?.width).toBeGreaterThan(1500);
    await page.keyboard.press('Escape');
    expect(await dialog.getAttribute('open')).toBeNull();
    expect(await wide.locator('svg').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Open full-screen');
    // The button under it opens it too, by keyboard; a diagram that fits has neither.
    await page.keyboard.press('Enter');
    expect(await dialog.getAttribute('open')).not.toBeNull();
    await page.click('dialog.diagram-dialog .dialog-bar button');
    expect(await dialog.getAttribute('open')).toBeNull();
    await page.locator('figure.diagram').first().tap();
    expect(await dialog.getAttribute('open')).toBeNull();
    await page.context().close();
  });

  it('each have an accessible name (their title, else their kind, section and names), and their labels meet 4.5:1 in the dark theme and the light', { timeout: 60_000 }, async () => {
    const low: string[] = [];
    const names = new Map<string, string[]>();
    for (const colorScheme of ['dark', 'light'] as const) {
      const page = await (await browser.newContext({ ...DESKTOP, colorScheme })).newPage();
      for (const file of root.report.coursePages) {
        await page.goto(root.server.url + file);
        names.set(file, (await diagrams(page)).map((diagram) => diagram.name));
        for (const name of names.get(file) ?? []) expect(name, file).not.toBe('');
        low.push(...(await lowContrastLabels(page)).map((label) => `${file} (${colorScheme}): ${label}`));
      }
      await page.context().close();
    }
    expect(low).toEqual([]);
    // A diagram without a title is named after the section it is in, as the print book names it too.
    const untitled = 'Sequence diagram for “A diagram only”: client, server';
    expect(names.get('lessons/02-no-code.html')).toEqual([untitled, 'Eight services pass one order along, each to the next, and the last one replies to the first']);
    expect(names.get('print.html')).toContain(untitled);
  });
});

describe('the 404 page', () => {
  /** The 404 page at `address` (relative to the server's root): its status, its links, whether its stylesheet applied, and what failed to load. */
  async function notFoundAt(origin: string, address: string, options: BrowserContextOptions = DESKTOP) {
    const page = await (await browser.newContext(options)).newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url() !== origin + address) failed.push(response.url());
    });
    const response = await page.goto(origin + address);
    // The links are right once the stylesheet they lead to applies (with a guessed root, after the script finds the site).
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.site-footer') as Element).textAlign === 'center', undefined, { timeout: 10_000 });
    const found = {
      status: response?.status(),
      heading: await page.textContent('h1'),
      links: await page.locator('main a, .brand, .sidebar a[href$="01-first-steps.html"]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href)),
      skip: await page.locator('.skip-link').evaluate((a) => (a as HTMLAnchorElement).href),
      failed,
    };
    await page.context().close();
    return found;
  }

  it.each(['lessons/gone.html', 'a/b/c/d/e.html', 'missing'])('links back into a site published under /course/ from %s', { timeout: 60_000 }, async (address) => {
    const origin = published.server.url.replace(/course\/$/, '');
    const found = await notFoundAt(origin, `course/${address}`);
    expect(found.status).toBe(404);
    expect(found.heading).toBe('Page not found');
    expect(found.links).toEqual([`${origin}course/index.html`, `${origin}course/index.html`, `${origin}course/search.html`, `${origin}course/lessons/01-first-steps.html`]);
    expect(found.skip).toBe(`${origin}course/${address}#main`);
    expect(found.failed).toEqual([]);
  });

  it('links back into a site built without --base-url, at the root and, found by its script, under another path', { timeout: 60_000 }, async () => {
    const atRoot = await notFoundAt(root.server.url, 'deep/down/gone.html', PHONE);
    expect(atRoot.status).toBe(404);
    expect(atRoot.links).toEqual([`${root.server.url}index.html`, `${root.server.url}index.html`, `${root.server.url}search.html`, `${root.server.url}lessons/01-first-steps.html`]);
    expect(atRoot.failed).toEqual([]);
    const elsewhere = await serveSite(root.report.outDir, { host: '127.0.0.1', port: 0, base: '/elsewhere/' });
    try {
      const found = await notFoundAt(elsewhere.url, 'x/y/gone.html');
      expect(found.status).toBe(404);
      expect(found.links).toEqual([`${elsewhere.url}index.html`, `${elsewhere.url}index.html`, `${elsewhere.url}search.html`, `${elsewhere.url}lessons/01-first-steps.html`]);
    } finally {
      await elsewhere.close();
    }
  });
});

/** What printing the page would cut: code wider than its block, tables and diagrams wider than their frame, and navigation shown. */
function cutOnPaper(page: Page) {
  return page.evaluate(() => {
    const visible = (element: Element) => getComputedStyle(element).display !== 'none' && (element as HTMLElement).offsetParent !== null;
    const main = document.querySelector('main') as HTMLElement;
    return {
      code: Array.from(document.querySelectorAll('main pre')).filter((pre) => visible(pre) && pre.scrollWidth > pre.clientWidth + 1).map((pre) => (pre.textContent ?? '').slice(0, 40)),
      tables: Array.from(document.querySelectorAll('main table'))
        .filter((table) => visible(table) && (table.getBoundingClientRect().right > main.getBoundingClientRect().right + 1 || (table.parentElement as HTMLElement).scrollWidth > (table.parentElement as HTMLElement).clientWidth + 1))
        .map((table) => (table.textContent ?? '').trim().slice(0, 40)),
      diagrams: Array.from(document.querySelectorAll('figure.diagram')).filter((figure) => figure.scrollWidth > figure.clientWidth + 1).map((figure) => figure.querySelector('svg')?.id),
      navigation: Array.from(document.querySelectorAll('.site-header, .sidebar, .pager, .page-source, .toc-top, .diagram-cue')).filter(visible).map((element) => element.className),
    };
  });
}

describe('print', () => {
  // An A4 sheet's printable width at 96 px to the inch, less Chromium's default margins.
  const A4 = { viewport: { width: 720, height: 1000 } };

  it('prints a lesson whole: code and table cells wrap, diagrams scale to the page, no navigation', { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/02-no-code.html', { ...A4, colorScheme: 'dark' });
    const onScreen = await cutOnPaper(page);
    expect(onScreen.code.length).toBeGreaterThan(0);
    expect(onScreen.tables.length).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    expect(await cutOnPaper(page)).toEqual({ code: [], tables: [], diagrams: [], navigation: [] });
    // Nothing wider than the sheet, which Chromium would shrink the whole page to fit.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(A4.viewport.width);
    // On paper the light theme applies whatever the screen's.
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(31, 35, 40)');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.context().close();
  });

  it('has the whole course in reading order on print.html, every id unique, each part on a new sheet', { timeout: 60_000 }, async () => {
    const page = await open(root, 'print.html', A4);
    expect(await page.locator('h1').allTextContents()).toEqual(['Fixture Course']);
    expect(await page.locator('.print-part').evaluateAll((parts) => parts.map((part) => part.querySelector('h2')?.textContent))).toEqual(['Lesson 01 · First steps', 'Exercise 01: Echo', 'Lesson 02 · No code']);
    expect(await page.locator('.print-contents a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['#part-01-first-steps', '#part-exercise-01-echo', '#part-02-no-code']);
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]'), (e) => e.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Every diagram of the lessons and the exercise (the fixture's quiz has none).
    expect(await page.locator('figure.diagram').count()).toBe(root.report.diagrams.found);
    await page.emulateMedia({ media: 'print' });
    expect(await cutOnPaper(page)).toEqual({ code: [], tables: [], diagrams: [], navigation: [] });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(A4.viewport.width);
    expect(await page.locator('.print-part').evaluateAll((parts) => parts.map((part) => getComputedStyle(part).breakBefore))).toEqual(['page', 'page', 'page']);
    await page.context().close();
  });

  it('is linked from the contents of every page', async () => {
    const page = await open(root, 'index.html');
    expect(await page.locator('.sidebar a', { hasText: 'Print the whole course' }).getAttribute('href')).toBe('print.html');
    await page.context().close();
  });
});

describe('search', () => {
  /** The results shown for `query`: each page's link, the section it leads to, its excerpt and its other sections. */
  async function search(page: Page, site: Served, query: string) {
    await page.goto(`${site.server.url}search.html?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /found|Nothing/.test(document.getElementById('search-status')?.textContent ?? ''));
    return page.locator('#search-results > li').evaluateAll((items) =>
      items.map((item) => ({
        href: item.querySelector('h2 a')?.getAttribute('href') ?? '',
        section: item.querySelector('.search-section')?.textContent ?? null,
        excerpt: item.querySelector(':scope > p:not(.search-section)')?.textContent ?? '',
        others: Array.from(item.querySelectorAll('ul a'), (a) => a.textContent),
      })),
    );
  }

  it('links a result to the section that matches best, under any path, and lands on it', { timeout: 60_000 }, async () => {
    for (const site of [root, published]) {
      const page = await open(site, 'index.html');
      const [result, ...others] = await search(page, site, 'retry token');
      expect(others).toEqual([]);
      // Not the lesson's top, where its objectives name retry tokens too, nor the table that does.
      expect(result.href).toMatch(/lessons\/02-no-code\.html#retry-tokens-making-requests-safe$/);
      expect(result.section).toBe('§ Retry tokens: making requests safe');
      expect(result.excerpt).toMatch(/^Retry tokens: making requests safe\. A client that sends each request with a retry token/);
      // The page's top and the table, the better first.
      expect(result.others).toEqual(['Lesson 02 · No code', 'A diagram only']);
      await page.click('#search-results h2 a');
      await page.waitForURL('**/lessons/02-no-code.html#retry-tokens-making-requests-safe');
      expect(here(site, page)).toBe('lessons/02-no-code.html');
      // Scrolled to the section (as far as the page goes: the section is near its end).
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      const heading = await page.locator('#retry-tokens-making-requests-safe').boundingBox();
      expect(heading?.y).toBeGreaterThanOrEqual(0);
      expect((heading?.y ?? 0) + (heading?.height ?? 0)).toBeLessThanOrEqual(DESKTOP.viewport.height);
      await page.context().close();
    }
  });

  it('quotes prose rather than a table, and neither finds nor quotes the links every page repeats', { timeout: 60_000 }, async () => {
    const page = await open(root, 'index.html');
    // "ledger" is six times in a table and once in a sentence: the sentence wins.
    const [ledger] = await search(page, root, 'ledger');
    expect(ledger.href).toMatch(/#retry-tokens-making-requests-safe$/);
    expect(ledger.excerpt).toContain('writes what it did in a ledger.');
    expect(ledger.excerpt).not.toMatch(/ledger entry|how many lines/);
    // The link to the notebook on every lesson and the quiz's list of quizzes are not searched; the exercise's line of facts is not quoted.
    expect(await search(page, root, 'download')).toEqual([]);
    expect((await search(page, root, 'quizzes')).map((result) => result.href)).not.toContain('/quiz.html');
    const [echo] = await search(page, root, 'echo');
    expect(echo.excerpt).toMatch(/^Exercise 01: Echo\. Write echo\(message\)/);
    await page.context().close();
  });
});

describe("links to the course's repository", () => {
  const REPOSITORY = 'https://github.com/example-org/fixture-course';
  const CODESPACE = 'https://codespaces.new/example-org/fixture-course/tree/main?quickstart=1&devcontainer_path=.devcontainer%2Fdevcontainer.json';
  const sourced = (site: Served) => site.report.coursePages.filter((file) => /^(lessons|exercises)\//.test(file));

  it('open every lesson and exercise in GitHub Codespaces, edit its source, and report a problem with it', { timeout: 60_000 }, async () => {
    const page = await open(root, 'index.html', PHONE);
    const sources: Record<string, string> = { 'lessons/01-first-steps.html': 'lessons/01-first-steps.ipynb', 'lessons/02-no-code.html': 'lessons/02-no-code.ipynb', 'exercises/01-echo.html': 'exercises/01-echo/README.md' };
    expect(sourced(root)).toEqual(Object.keys(sources).sort());
    for (const file of sourced(root)) {
      await page.goto(root.server.url + file);
      expect(await page.locator('main a.launch').evaluateAll((links) => links.map((a) => [a.textContent, a.getAttribute('href')])), file).toEqual([['Open in GitHub Codespaces', CODESPACE]]);
      const source = page.locator('nav.page-source');
      expect(await source.isVisible()).toBe(true);
      expect(await source.locator('a').allTextContents()).toEqual(['Edit this page', 'Report a problem']);
      expect(await source.locator('a').first().getAttribute('href')).toBe(`${REPOSITORY}/edit/main/${sources[file]}`);
      const report = new URL((await source.locator('a').last().getAttribute('href')) ?? '');
      expect(`${report.origin}${report.pathname}`).toBe(`${REPOSITORY}/issues/new`);
      expect(report.searchParams.get('title')).toBe(`${await page.textContent('main h1')}: `);
      expect(report.searchParams.get('body')).toContain(`Page: ${file}\nSource: ${sources[file]}\n`);
    }
    // Pages that no file of the repository makes have neither.
    for (const file of ['index.html', 'quiz.html', 'search.html']) {
      await page.goto(root.server.url + file);
      expect(await page.locator('nav.page-source, a.launch').count(), file).toBe(0);
    }
    await page.context().close();
  });

  it('are absent when course.json names no repository', { timeout: 60_000 }, async () => {
    const page = await open(published, 'index.html');
    for (const file of published.report.coursePages) {
      await page.goto(published.server.url + file);
      expect(await page.locator('nav.page-source, a.launch').count(), file).toBe(0);
      expect(await page.content(), file).not.toMatch(/codespaces|github\.com/i);
    }
    await page.context().close();
  });
});

describe('the API reference', () => {
  const API_PAGE = 'api/netsim/Network.html';
  const DARK = 'rgb(13, 17, 23)';
  const LIGHT = 'rgb(255, 255, 255)';
  const theme = (page: Page) =>
    page.evaluate(() => ({
      chosen: document.documentElement.dataset.theme,
      background: getComputedStyle(document.body).backgroundColor,
      pressed: document.querySelector('.theme-toggle')?.getAttribute('aria-pressed'),
    }));

  it("takes the theme the reader chose on the course, and its switch sets the course's", { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/01-first-steps.html', { ...DESKTOP, colorScheme: 'light' });
    await page.click('.theme-toggle');
    await page.goto(root.server.url + API_PAGE);
    expect(await theme(page)).toEqual({ chosen: 'dark', background: DARK, pressed: 'true' });
    // One switch: typedoc's own theme setting is gone.
    expect(await page.locator('#tsd-theme').count()).toBe(0);
    await page.click('.theme-toggle');
    expect(await theme(page)).toEqual({ chosen: 'light', background: LIGHT, pressed: 'false' });
    await page.goto(root.server.url + 'lessons/01-first-steps.html');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.context().close();
  });

  it("follows the system's theme when the reader chose none", { timeout: 60_000 }, async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const page = await open(root, API_PAGE, { ...DESKTOP, colorScheme });
      expect(await theme(page)).toEqual({ chosen: 'os', background: colorScheme === 'dark' ? DARK : LIGHT, pressed: String(colorScheme === 'dark') });
      await page.context().close();
    }
  });

  it('keeps the way back to the course on a phone, with no axe violation in either theme', { timeout: 60_000 }, async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const page = await open(root, API_PAGE, { ...PHONE, colorScheme });
      const back = page.locator('#tsd-toolbar-links a', { hasText: 'Back to the course' });
      expect(await back.isVisible()).toBe(true);
      const box = await back.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= PHONE.viewport.width).toBe(true);
      expect(await page.locator('.theme-toggle').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width);
      expect(await axe(page)).toEqual([]);
      if (colorScheme === 'light') {
        await back.tap();
        await page.waitForURL(`${root.server.url}index.html`);
      }
      await page.context().close();
    }
  });

  it('gives each page a description of its own, and is valid HTML', { timeout: 60_000 }, async () => {
    const apiPages = root.report.pages.filter((file) => file.startsWith('api/'));
    expect(apiPages.length).toBeGreaterThan(20);
    const descriptions = apiPages.map((file) => /<meta name="description" content="([^"]*)"/.exec(fs.readFileSync(path.join(root.report.outDir, file), 'utf8'))?.[1]);
    expect(new Set(descriptions).size).toBe(apiPages.length);
    expect(descriptions[apiPages.indexOf(API_PAGE)]).toBe('Class Network in toolkit/netsim: A deterministic, unreliable network in virtual time.');
    expect(await validatePages(root.report.outDir, apiPages)).toEqual({});
  });
});

describe('link previews', () => {
  /** The page's Open Graph and canonical tags, by name. */
  const tags = (site: Served, file: string) => {
    const html = fs.readFileSync(path.join(site.report.outDir, file), 'utf8');
    return Object.fromEntries([...html.matchAll(/<(?:meta (?:property|name)="([^"]+)" content|link rel="(canonical)" href)="([^"]*)">/g)].map((match) => [match[1] ?? match[2], match[3]]));
  };

  it('give every page of a published site its title, description, canonical address and a card of its title', { timeout: 60_000 }, async () => {
    const base = 'https://example.org/course/';
    for (const file of published.report.coursePages.filter((page) => page !== '404.html')) {
      const found = tags(published, file);
      const address = new URL(file === 'index.html' ? '' : file, base).href;
      expect(Object.keys(found), file).toEqual(expect.arrayContaining(['og:title', 'og:description']));
      expect(found, file).toMatchObject({ canonical: address, 'og:url': address, 'og:image:type': 'image/png', 'twitter:card': 'summary_large_image' });
      expect(found['og:image'], file).toBe(`${base}cards/${file.replace(/\.html$/, '.png')}`);
      // The card is there, under the site's path, as a PNG.
      const response = await fetch(published.server.url + found['og:image'].slice(base.length));
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
    }
    expect(tags(published, '404.html')).not.toHaveProperty('og:image');
  });

  it('name no image and no canonical address when the site has no address', () => {
    for (const file of root.report.coursePages) {
      const found = tags(root, file);
      expect(found, file).toHaveProperty('og:title');
      expect(Object.keys(found).filter((name) => /og:image|og:url|canonical|twitter/.test(name)), file).toEqual([]);
    }
    expect(fs.existsSync(path.join(root.report.outDir, 'cards'))).toBe(false);
  });
});

describe('descriptions', () => {
  it("come from each page's first real sentence, not the lesson's learning objectives", () => {
    const description = (file: string) => /<meta name="description" content="([^"]*)">/.exec(fs.readFileSync(path.join(root.report.outDir, file), 'utf8'))?.[1];
    expect(description('lessons/02-no-code.html')).toBe('A lesson without code cells is rendered without running Jupyter. Its description comes from this paragraph, not from the objectives above.');
    expect(description('exercises/01-echo.html')).toBe('Write echo(message) in echo.ts so that it returns its message.');
  });
});

describe('keyboard shortcuts', () => {
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

  it('focus the search with "/", "s" and Ctrl+K, from any page and on the search page', { timeout: 60_000 }, async () => {
    const page = await open(root, 'lessons/01-first-steps.html');
    for (const key of ['/', 's', 'Control+k']) {
      await page.locator('main').focus();
      await page.keyboard.press(key);
      expect(await focused(page), key).toBe('site-search-query');
      // Typed into the field, the key is text, not a shortcut.
      expect(await page.inputValue('#site-search-query')).toBe('');
    }
    await page.keyboard.type('s/');
    expect(await page.inputValue('#site-search-query')).toBe('s/');
    await page.goto(root.server.url + 'search.html');
    await page.keyboard.press('/');
    expect(await focused(page)).toBe('search-query');
    await page.context().close();
  });

  it('go to the previous and next page with ← and →, but leave the arrows to what scrolls', { timeout: 60_000 }, async () => {
    const page = await open(root, 'exercises/01-echo.html');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL('**/lessons/02-no-code.html');
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL('**/exercises/01-echo.html');
    await page.goto(root.server.url + 'lessons/02-no-code.html');
    await page.locator('figure.diagram').nth(1).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
    expect(here(root, page)).toBe('lessons/02-no-code.html');
    await page.context().close();
  });

  it('list the keys with "?", in a dialog that Escape closes', { timeout: 60_000 }, async () => {
    const page = await open(root, 'index.html', PHONE);
    await page.keyboard.press('?');
    const dialog = page.locator('dialog.keys-dialog');
    expect(await dialog.getAttribute('open')).not.toBeNull();
    expect(await dialog.locator('kbd').allTextContents()).toEqual(['/', 's', 'Ctrl+K', '←', '→', '?', 'Esc']);
    expect(await axe(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await dialog.getAttribute('open')).toBeNull();
    await page.context().close();
  });
});
