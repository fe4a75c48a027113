// The built site in a real browser (Debian's Chromium through playwright-core), served on
// 127.0.0.1: every page loads cleanly, diagrams are SVG with text labels, links resolve, axe finds
// no serious problem, the quiz works by mouse and by keyboard, and the layout fits a phone.
// Two sites are built once for the whole file: the fixture course (which always has a quiz and an
// exercise) and the real course, with whatever lessons, exercises and quiz exist today.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quiz } from '../../tooling/quiz';
import { BROWSER_ARGS, findChromium } from '../../tooling/system';
import { serveSite, type SiteServer } from '../src/server';
import { REPO_ROOT, buildSite, temporaryDir, type BuildReport } from '../src/site';
import { visitAll, type Visit } from './crawl';

const FIXTURE_COURSE = path.join(__dirname, '..', 'fixtures', 'course');

interface BuiltSite {
  name: string;
  root: string;
  report: BuildReport;
  server: SiteServer;
  visits: Map<string, Visit>;
  quiz?: Quiz;
}

const sites: BuiltSite[] = [];
let browser: Browser;
const scratch = temporaryDir('site-browser-test-');

async function buildAndVisit(name: string, root: string, visitApi: boolean): Promise<BuiltSite> {
  const report = await buildSite({ root, outDir: path.join(scratch, name) });
  const server = await serveSite(report.outDir, { host: '127.0.0.1', port: 0 });
  // The API reference is the same in both sites: the fixture site visits only its own pages. Its
  // pages come from one typedoc template: a sample of them (the index, a module, a class) is
  // visited in the browser, with axe; the others are scanned for their links and ids.
  const pages = report.pages.filter((page) => visitApi || !page.startsWith('api/'));
  const api = pages.filter((page) => page.startsWith('api/'));
  const sample = new Set(['api/index.html', api.find((p) => /^api\/[^/]+\.html$/.test(p) && p !== 'api/index.html'), api.find((p) => /^api\/.+\/.+\.html$/.test(p))]);
  const visits = await visitAll(browser, server.url, pages, (page) => !page.startsWith('api/') || sample.has(page));
  return { name, root, report, server, visits, quiz: report.quiz };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', ...BROWSER_ARGS] });
  sites.push(await buildAndVisit('fixture', FIXTURE_COURSE, false));
  sites.push(await buildAndVisit('real', REPO_ROOT, true));
  for (const site of sites) {
    const { report } = site;
    console.log(`${site.name} site: built in ${report.seconds.toFixed(1)} s (${report.notebooks.executed} notebooks executed), ${site.visits.size} pages visited`);
  }
}, 900_000);

afterAll(async () => {
  await Promise.all(sites.map((site) => site.server.close()));
  await browser?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Per page, what `pick` finds wrong; pages with nothing wrong are left out. */
function problems(site: BuiltSite, pick: (visit: Visit) => string[]): Record<string, string[]> {
  return Object.fromEntries([...site.visits].map(([page, v]) => [page, pick(v)] as const).filter(([, found]) => found.length > 0));
}

describe.each(['fixture', 'real'])('the %s site', (name) => {
  const site = () => sites.find((s) => s.name === name) as BuiltSite;

  it('has a home page, a page per lesson and per exercise, and the API reference', () => {
    // Other authors add lessons while the tests run: compare with what the build discovered.
    const { report } = site();
    const { lessons, exercises } = report.course;
    expect(lessons.length).toBeGreaterThan(0);
    expect(report.pages).toContain('index.html');
    expect(report.pages).toContain('api/index.html');
    for (const lesson of lessons) expect(report.pages).toContain(`lessons/${lesson.id}.html`);
    for (const exercise of exercises) expect(report.pages).toContain(`exercises/${exercise.id}.html`);
    expect(report.pages.includes('quiz.html')).toBe(Boolean(report.quiz));
    if (name === 'fixture') expect(exercises.length).toBeGreaterThan(0);
    const home = fs.readFileSync(path.join(report.outDir, 'index.html'), 'utf8');
    for (const page of report.pages.filter((p) => /^(lessons|exercises)\/|^quiz\.html$/.test(p))) expect(home).toContain(`href="${page}"`);
  });

  it('loads every page with no console error and no failed request', () => {
    expect(problems(site(), (v) => [...v.consoleErrors, ...v.failedRequests])).toEqual({});
  });

  it('shows every diagram as an inline SVG whose labels are text, and ships no mermaid runtime', () => {
    const { report, visits } = site();
    const diagrams = [...visits.values()].flatMap((v) => v.diagrams);
    expect(diagrams.length).toBe(report.diagrams.found);
    for (const diagram of diagrams) {
      expect(diagram.svgs).toBe(1);
      expect(diagram.texts.length).toBeGreaterThan(0);
      expect(diagram.foreignObjects).toBe(0);
    }
    const scripts = (fs.readdirSync(report.outDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(fs.readFileSync(path.join(report.outDir, script), 'utf8'), script).not.toMatch(/mermaid\.(initialize|render|run)\b|mermaidAPI/);
  });

  it('has no internal link that leads nowhere, fragments included', async () => {
    const { server, visits } = site();
    const broken: string[] = [];
    const checked = new Map<string, boolean>();
    for (const [page, v] of visits) {
      for (const link of v.links) {
        if (!link.startsWith(server.url)) continue;
        const url = new URL(link);
        const target = url.pathname.slice(1) || 'index.html';
        const fragment = decodeURIComponent(url.hash.slice(1));
        const visited = visits.get(target);
        if (visited) {
          if (fragment && !visited.ids.includes(fragment)) broken.push(`${page} -> ${link} (no id "${fragment}")`);
          continue;
        }
        if (!checked.has(url.pathname)) checked.set(url.pathname, (await fetch(server.url + url.pathname.slice(1))).ok);
        if (!checked.get(url.pathname)) broken.push(`${page} -> ${link}`);
      }
    }
    expect(broken).toEqual([]);
    expect([...visits.values()].flatMap((v) => v.links).length).toBeGreaterThan(visits.size);
  });

  it('has no serious or critical accessibility violation (axe-core)', () => {
    const checked = [...site().visits.values()].filter((v) => v.axe !== null);
    expect(checked.length).toBeGreaterThanOrEqual(site().report.pages.filter((p) => !p.startsWith('api/')).length);
    expect(problems(site(), (v) => v.axe ?? [])).toEqual({});
  });

  it('links the lessons that import the toolkit to its API reference', () => {
    const { report, root, visits } = site();
    const lessons = report.pages.filter((page) => page.startsWith('lessons/'));
    const importing = lessons.filter((page) => {
      const notebook = fs.readFileSync(path.join(root, page.replace('.html', '.ipynb')), 'utf8');
      return /from\s+\\?['"]\.\/toolkit\//.test(notebook);
    });
    expect(importing.length).toBeGreaterThan(0);
    for (const page of importing) {
      expect((visits.get(page) as Visit).links.some((link) => /\/api\/[\w-]+\.html$/.test(link)), page).toBe(true);
    }
  });
});

async function openQuiz(site: BuiltSite, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(`${site.server.url}quiz.html`);
  return page;
}

const score = async (page: Page) => `${await page.textContent('[data-score]')}/${await page.textContent('[data-answered]')}`;

/** Presses Tab until `selector` (its `index`th match) has the focus. */
async function tabTo(page: Page, selector: string, index = 0): Promise<void> {
  for (let presses = 0; presses < 200; presses++) {
    const there = await page.evaluate(([css, i]) => document.activeElement === document.querySelectorAll(css as string)[i as number], [selector, index]);
    if (there) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector} #${index}`);
}

describe.each(['fixture', 'real'])('the quiz of the %s site', (name) => {
  const site = () => sites.find((s) => s.name === name) as BuiltSite;
  const quizIt = (title: string, test: (s: BuiltSite, quiz: Quiz) => Promise<void>) =>
    it(title, { timeout: 60_000 }, async (context) => {
      const s = site();
      if (!s.quiz) {
        context.skip(`${name} course has no lessons/quiz.json yet`);
        return;
      }
      await test(s, s.quiz);
    });
  const rightIndex = (quiz: Quiz, q: number) => quiz.questions[q].choices.findIndex((c) => c.correct);
  const wrongIndex = (quiz: Quiz, q: number) => quiz.questions[q].choices.findIndex((c) => !c.correct);

  quizIt('marks a right and a wrong answer and keeps the score, by mouse', async (s, quiz) => {
    const page = await openQuiz(s);
    const question = (q: number) => page.locator('[data-question]').nth(q);
    expect(await score(page)).toBe('0/0');

    await question(0).locator('.choice').nth(rightIndex(quiz, 0)).click();
    expect(await question(0).locator('.verdict').textContent()).toMatch(/^Right\./);
    expect(await question(0).locator('.choice.chosen .mark').textContent()).toBe('Right');
    expect(await score(page)).toBe('1/1');

    await question(1).locator('.choice').nth(wrongIndex(quiz, 1)).click();
    const verdict = (await question(1).locator('.verdict').textContent()) ?? '';
    expect(verdict).toMatch(/^Wrong\./);
    const explanation = await question(1).locator('.explanation').nth(wrongIndex(quiz, 1)).textContent();
    expect(explanation?.length).toBeGreaterThan(0);
    expect(verdict).toContain(explanation);
    expect(await question(1).locator('.choice.chosen .mark').textContent()).toBe('Wrong');
    expect(await question(1).locator('.choice.right .mark').textContent()).toBe('Right answer');
    expect(await score(page)).toBe('1/2');

    // A question counts once: a second click changes nothing (force: the answered choices are aria-disabled).
    await question(1).locator('.choice').nth(rightIndex(quiz, 1)).click({ force: true });
    expect(await score(page)).toBe('1/2');
    await page.context().close();
  });

  quizIt('works with the keyboard alone: Tab to a choice, Enter or Space, and Start again', async (s, quiz) => {
    const page = await openQuiz(s);
    const q0 = page.locator('[data-question]').nth(0);
    const firstChoiceIndex = async (q: number) => page.evaluate((n) => Array.from(document.querySelectorAll('.choice')).indexOf(document.querySelectorAll('[data-question]')[n].querySelector('.choice') as Element), q);

    await tabTo(page, '.choice', (await firstChoiceIndex(0)) + rightIndex(quiz, 0));
    await page.keyboard.press('Enter');
    expect(await q0.locator('.verdict').textContent()).toMatch(/^Right\./);
    await tabTo(page, '.choice', (await firstChoiceIndex(1)) + wrongIndex(quiz, 1));
    await page.keyboard.press('Space');
    expect(await page.locator('[data-question]').nth(1).locator('.verdict').textContent()).toMatch(/^Wrong\./);
    expect(await score(page)).toBe('1/2');

    await page.keyboard.press('Shift+Tab');
    await page.locator('body').focus();
    await tabTo(page, '[data-reset]');
    await page.keyboard.press('Enter');
    expect(await score(page)).toBe('0/0');
    expect(await q0.locator('.verdict').textContent()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('choice'))).toBe(true);
    await page.context().close();
  });

  quizIt('is readable without JavaScript: every question, with its answer behind a disclosure', async (s, quiz) => {
    const page = await openQuiz(s, { javaScriptEnabled: false });
    expect(await page.locator('[data-question]').count()).toBe(quiz.questions.length);
    expect(await page.locator('[data-question] details.answer summary').count()).toBe(quiz.questions.length);
    expect(await page.locator('[data-scoreboard]').isVisible()).toBe(false);
    await page.locator('details.answer summary').first().click();
    expect(await page.locator('details.answer').first().textContent()).toContain('The answer is');
    await page.context().close();
  });
});

describe('layout and themes (fixture site)', () => {
  const fixture = () => sites[0];

  it('fits a phone: no page scrolls sideways at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    const page = await context.newPage();
    const tooWide: string[] = [];
    for (const path of fixture().report.pages.filter((p) => !p.startsWith('api/'))) {
      await page.goto(fixture().server.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) tooWide.push(`${path}: ${width}px`);
    }
    expect(tooWide).toEqual([]);
    await context.close();
  });

  it('follows the system theme and lets the reader switch and keep another', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.goto(fixture().server.url + 'index.html');
    expect(await background()).toBe('rgb(13, 17, 23)');
    expect(await page.getAttribute('.theme-toggle', 'aria-pressed')).toBe('true');
    await page.click('.theme-toggle');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.goto(fixture().server.url + 'lessons/01-first-steps.html');
    expect(await background()).toBe('rgb(255, 255, 255)');
    expect(await page.getAttribute('.theme-toggle', 'aria-pressed')).toBe('false');
    await context.close();
  });

  it('shows the fixture lesson with its outputs, escaped, and its diagrams labelled', () => {
    const lesson = fixture().visits.get('lessons/01-first-steps.html') as Visit;
    const html = fs.readFileSync(path.join(fixture().report.outDir, 'lessons/01-first-steps.html'), 'utf8');
    expect(html).toContain('escaped: &lt;b&gt;bold?&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('<p class="from-html-output">HTML <strong>output</strong></p>');
    expect(html).toContain('<pre class="output stderr" tabindex="0" aria-label="Error output">a warning &lt;on stderr&gt;</pre>');
    expect(lesson.diagrams.flatMap((d) => d.texts)).toEqual(expect.arrayContaining(['Sender', 'message', 'Receiver', 'ping', 'pong']));
  });
});
