// The built site in a real browser (Debian's Chromium through playwright-core), served on
// 127.0.0.1: every page loads cleanly, diagrams are SVG with text labels, legible on a phone and
// dark in dark mode, links resolve, axe finds no serious problem and html-validate no error, the
// sidebar marks the current page, search finds lessons and quiz questions, the quiz works by mouse
// and by keyboard, and the layout fits a phone.
// Two sites are built once for the whole file: the fixture course (which always has a quiz and an
// exercise), served at the root, and the real course, with whatever lessons, exercises and quiz
// exist today, served under /course/ as GitHub Pages serves a project site.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exerciseTitle } from '../../tooling/course';
import type { Quiz } from '../../tooling/quiz';
import { BROWSER_ARGS, findChromium } from '../../tooling/programs';
import { FIT_TEXT_PX, MIN_TEXT_PX } from '../src/figures';
import { serveSite, type SiteServer } from '../src/server';
import { REPO_ROOT, buildSite, temporaryDir, type BuildReport } from '../src/site';
import { visitAll, type Visit } from './crawl';
import { validatePages } from './html-validate';

const FIXTURE_COURSE = path.join(__dirname, '..', 'fixtures', 'course');

interface BuiltSite {
  name: string;
  root: string;
  report: BuildReport;
  server: SiteServer;
  visits: Map<string, Visit>;
  visitSeconds: number;
  quiz?: Quiz;
}

const sites: BuiltSite[] = [];
let browser: Browser;
const scratch = temporaryDir('site-browser-test-');

async function buildAndVisit(name: string, root: string, visitApi: boolean, base = '/'): Promise<BuiltSite> {
  const report = await buildSite({ root, outDir: path.join(scratch, name), baseUrl: base === '/' ? undefined : `https://example.org${base}` });
  const server = await serveSite(report.outDir, { host: '127.0.0.1', port: 0, base });
  // The API reference is the same in both sites: the fixture site visits only its own pages. Its
  // pages come from one typedoc template: a sample of them (the index, a module, a class) is
  // visited in the browser, with axe; the others are scanned for their links and ids.
  const pages = report.pages.filter((page) => visitApi || !page.startsWith('api/'));
  const api = pages.filter((page) => page.startsWith('api/'));
  const sample = new Set(['api/index.html', api.find((p) => /^api\/[^/]+\.html$/.test(p) && p !== 'api/index.html'), api.find((p) => /^api\/.+\/.+\.html$/.test(p))]);
  const started = performance.now();
  const visits = await visitAll(browser, server.url, pages, (page) => !page.startsWith('api/') || sample.has(page));
  return { name, root, report, server, visits, quiz: report.quiz, visitSeconds: (performance.now() - started) / 1000 };
}

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium(), args: ['--headless', ...BROWSER_ARGS] });
  sites.push(await buildAndVisit('fixture', FIXTURE_COURSE, false));
  sites.push(await buildAndVisit('real', REPO_ROOT, true, '/course/'));
  for (const site of sites) {
    const { report } = site;
    console.log(`${site.name} site: built in ${report.seconds.toFixed(1)} s (${report.notebooks.executed} notebooks executed), ${site.visits.size} pages visited in ${site.visitSeconds.toFixed(1)} s`);
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

/** The page a link of the site leads to (site-relative), or undefined for a link elsewhere. */
function sitePage(site: BuiltSite, link: string): string | undefined {
  if (!link.startsWith(site.server.url)) return undefined;
  return decodeURI(new URL(link).pathname.slice(new URL(site.server.url).pathname.length)) || 'index.html';
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
    // One quiz page per lesson the quiz asks about, linked from that lesson's page.
    for (const lesson of lessons) {
      const asked = report.quiz?.questions.some((q) => q.lesson === lesson.id) ?? false;
      expect(report.pages.includes(`quiz/${lesson.id}.html`), lesson.id).toBe(asked);
      if (asked) expect(fs.readFileSync(path.join(report.outDir, `lessons/${lesson.id}.html`), 'utf8'), lesson.id).toContain(`href="../quiz/${lesson.id}.html"`);
    }
    if (name === 'fixture') expect(exercises.length).toBeGreaterThan(0);
    const home = fs.readFileSync(path.join(report.outDir, 'index.html'), 'utf8');
    for (const page of report.pages.filter((p) => /^(lessons|exercises)\/|^quiz\.html$/.test(p))) expect(home).toContain(`href="${page}"`);
  });

  it('loads every page with no console error and no failed request', () => {
    expect(problems(site(), (v) => [...v.consoleErrors, ...v.failedRequests])).toEqual({});
  });

  it('shows every diagram as an inline SVG whose labels are text, and ships no mermaid runtime', () => {
    const { report, visits } = site();
    // print.html shows every diagram of the lessons and exercises a second time.
    const diagrams = [...visits.values()].filter((v) => v.page !== 'print.html').flatMap((v) => v.diagrams);
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
        const target = sitePage(site(), link);
        if (target === undefined) continue;
        const url = new URL(link);
        const fragment = decodeURIComponent(url.hash.slice(1));
        const visited = visits.get(target);
        if (visited) {
          if (fragment && !visited.ids.includes(fragment)) broken.push(`${page} -> ${link} (no id "${fragment}")`);
          continue;
        }
        if (!checked.has(url.pathname)) checked.set(url.pathname, (await fetch(server.url + target)).ok);
        if (!checked.get(url.pathname)) broken.push(`${page} -> ${link}`);
      }
    }
    expect(broken).toEqual([]);
    expect([...visits.values()].flatMap((v) => v.links).length).toBeGreaterThan(visits.size);
  });

  it('asks for nothing outside the path it is served under', () => {
    const { server } = site();
    expect(problems(site(), (v) => v.requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:')))).toEqual({});
  });

  it('marks the current page in the sidebar', () => {
    const { report, visits } = site();
    const inContents = report.coursePages.filter((page) => /^(lessons|exercises)\/|^(quiz|index|search)\.html$/.test(page));
    expect(inContents.length).toBeGreaterThan(2);
    for (const page of inContents) expect((visits.get(page) as Visit).current.map((link) => sitePage(site(), link)), page).toEqual([page]);
  });

  // The real site's hundreds of pages take html-validate over 30 s on a busy two-core machine.
  it('is valid HTML (html-validate: every course page, and the API reference with the rules listed in html-validate.ts)', { timeout: 120_000 }, async () => {
    const { report } = site();
    const pages = name === 'real' ? report.pages : report.coursePages;
    expect(await validatePages(report.outDir, pages)).toEqual({});
  });

  it('has no serious or critical accessibility violation (axe-core)', () => {
    const checked = [...site().visits.values()].filter((v) => v.axe !== null);
    expect(checked.length).toBeGreaterThanOrEqual(site().report.pages.filter((p) => !p.startsWith('api/')).length);
    expect(problems(site(), (v) => v.axe ?? [])).toEqual({});
  });

  it('keeps every quiz page at or under 150 KB of HTML', () => {
    const { report } = site();
    const quizPages = report.pages.filter((page) => /^quiz(\.html$|\/)/.test(page));
    expect(quizPages.length).toBe(report.quiz ? 1 + new Set(report.quiz.questions.map((q) => q.lesson).filter((id) => report.course.lessons.some((l) => l.id === id))).size : 0);
    const sizes = quizPages.map((page) => [page, fs.statSync(path.join(report.outDir, page)).size] as const);
    console.log(`${name} site, quiz pages: ${sizes.map(([page, bytes]) => `${page} ${(bytes / 1024).toFixed(0)} KB`).join(', ')}`);
    expect(sizes.filter(([, bytes]) => bytes > 150 * 1024).map(([page, bytes]) => `${page}: ${(bytes / 1024).toFixed(1)} KB`)).toEqual([]);
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

async function openQuiz(site: BuiltSite, file: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await page.goto(`${site.server.url}${file}`);
  return page;
}

/** The quiz page of the first lesson with at least two questions, and its questions in page order. */
function lessonQuiz(site: BuiltSite, quiz: Quiz): { file: string; questions: Quiz['questions'] } {
  for (const lesson of site.report.course.lessons) {
    const questions = quiz.questions.filter((q) => q.lesson === lesson.id);
    if (questions.length >= 2) return { file: `quiz/${lesson.id}.html`, questions };
  }
  throw new Error(`${site.name}: no lesson has two quiz questions`);
}

const score = async (page: Page) => `${await page.textContent('[data-score]')}/${await page.textContent('[data-answered]')}`;

/** Presses Tab until `selector` (its `index`th match) has the focus. */
async function tabTo(page: Page, selector: string, index = 0): Promise<void> {
  const stops = await page.evaluate(() => document.querySelectorAll('a[href], button, summary, [tabindex="0"], .choice').length);
  for (let presses = 0; presses <= stops + 10; presses++) {
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
  const rightIndex = (quiz: Pick<Quiz, 'questions'>, q: number) => quiz.questions[q].choices.findIndex((c) => c.correct);
  const wrongIndex = (quiz: Pick<Quiz, 'questions'>, q: number) => quiz.questions[q].choices.findIndex((c) => !c.correct);

  quizIt('marks a right and a wrong answer and keeps the score, by mouse', async (s, whole) => {
    const quiz = lessonQuiz(s, whole);
    const page = await openQuiz(s, quiz.file);
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

  quizIt('works with the keyboard alone: Tab to a choice, Enter or Space, and Start again', async (s, whole) => {
    const quiz = lessonQuiz(s, whole);
    const page = await openQuiz(s, quiz.file);
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

  quizIt('is readable without JavaScript: every question, with its answer behind a disclosure', async (s, whole) => {
    const quiz = lessonQuiz(s, whole);
    const page = await openQuiz(s, quiz.file, { javaScriptEnabled: false });
    expect(await page.locator('[data-question]').count()).toBe(quiz.questions.length);
    expect(await page.locator('[data-question] details.answer summary').count()).toBe(quiz.questions.length);
    expect(await page.locator('[data-scoreboard]').isVisible()).toBe(false);
    await page.locator('details.answer summary').first().click();
    expect(await page.locator('details.answer').first().textContent()).toContain('The answer is');
    await page.context().close();
  });

  quizIt('reviews the whole course on quiz.html: every lesson quiz listed, one question from each, answerable', async (s, quiz) => {
    const page = await openQuiz(s, 'quiz.html');
    const lessons = s.report.course.lessons.filter((lesson) => quiz.questions.some((q) => q.lesson === lesson.id));
    const listed = await page.locator('nav[aria-labelledby="by-lesson"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(listed).toEqual(lessons.map((lesson) => `quiz/${lesson.id}.html`));
    const unplaced = quiz.questions.filter((q) => !lessons.some((lesson) => lesson.id === q.lesson));
    const shown = [...lessons.map((lesson) => quiz.questions.find((q) => q.lesson === lesson.id) as Quiz['questions'][number]), ...unplaced];
    expect(await page.locator('[data-question]').evaluateAll((sections) => sections.map((section) => section.id))).toEqual(shown.map((q) => `q-${q.id}`));
    await page.locator('[data-question]').nth(0).locator('.choice').nth(rightIndex({ questions: shown }, 0)).click();
    expect(await score(page)).toBe('1/1');
    await page.locator('[data-question] .more a').first().click();
    await page.waitForURL(`**/quiz/${lessons[0].id}.html`);
    await page.context().close();
  });
});

/** A word of at least eight letters that the main text of `page` has and no other searchable page. */
function wordOnlyIn(site: BuiltSite, page: string): string {
  const words = (file: string, shortest: number) => {
    const html = fs.readFileSync(path.join(site.report.outDir, file), 'utf8');
    // What search leaves out (the links every lesson has, say) is not a word of the page for it.
    const main = html
      .slice(html.indexOf('<main'), html.indexOf('</main>'))
      .replace(/<(aside|nav|p)\b[^>]*\bdata-pagefind-ignore\b[^>]*>[^]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ');
    return new Set(main.toLowerCase().match(new RegExp(`\\b[a-z]{${shortest},}\\b`, 'g')) ?? []);
  };
  // Shorter words of the other pages count too: "average" on a lesson shares its stem with "averages".
  const others = site.report.searchable.filter((p) => p !== page).flatMap((p) => [...words(p, 6)]);
  // Pagefind finds a word by its stem: no other page may have a word that starts like it.
  const unique = [...words(page, 8)].filter((word) => !others.some((other) => other.slice(0, 6) === word.slice(0, 6))).sort();
  if (unique.length === 0) throw new Error(`no word is only in ${page}`);
  return unique[0];
}

describe('the real site, served under /course/', () => {
  const real = () => sites[1];

  it('finds a word of lesson 07 and a quiz question with the search, by keyboard', { timeout: 60_000 }, async (context) => {
    const site = real();
    const lesson07 = site.report.course.lessons.find((lesson) => lesson.number === '07');
    if (!lesson07 || !site.quiz) {
      context.skip('the course has no lesson 07 or no quiz yet');
      return;
    }
    const page = await (await browser.newContext()).newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(site.server.url)) outside.push(request.url());
    });
    const resultLinks = () => page.locator('#search-results > li h2 a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));

    await page.goto(`${site.server.url}index.html`);
    await page.locator('#site-search-query').focus();
    await page.keyboard.type(wordOnlyIn(site, `lessons/${lesson07.id}.html`));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#search-results > li');
    expect((await resultLinks()).map((link) => sitePage(site, link))).toContain(`lessons/${lesson07.id}.html`);
    await tabTo(page, '#search-results > li h2 a');

    const quiz07 = `quiz/${lesson07.id}.html`;
    await page.fill('#search-query', wordOnlyIn(site, quiz07));
    // The result links the lesson's quiz page: the question that matched (#q-...), or the page's top
    // when that question is the page's first section (navigation.test.ts checks the section landing).
    await page.waitForFunction((file) => document.querySelector('#search-results > li h2 a')?.getAttribute('href')?.split('#')[0].endsWith(file), quiz07);
    const quizLinks = await page.locator(`#search-results > li h2 a[href*="${quiz07}"]`).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(quizLinks.every((href) => !href.includes('#') || href.includes('#q-')), quizLinks.join(', ')).toBe(true);
    expect(outside).toEqual([]);
    await page.context().close();
  });

  it(`keeps every diagram's text at least ${MIN_TEXT_PX} px tall on a 390 px phone, scrolling it sideways in its frame (${FIT_TEXT_PX} px when it shrinks to fit)`, { timeout: 60_000 }, async () => {
    const site = real();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const withDiagrams = [...site.visits.values()].filter((v) => v.diagrams.length > 0).map((v) => v.page);
    expect(withDiagrams.length).toBeGreaterThan(0);
    const small: string[] = [];
    for (const file of withDiagrams) {
      await page.goto(site.server.url + file);
      const sizes = await page.evaluate(() =>
        Array.from(document.querySelectorAll('figure.diagram svg:not(.only-dark)'), (svg) => {
          const scale = (svg as SVGSVGElement).getScreenCTM()?.a ?? 0;
          const texts = Array.from(svg.querySelectorAll('text'), (text) => parseFloat(getComputedStyle(text).fontSize) * scale);
          const figure = svg.parentElement as HTMLElement;
          return { id: svg.id, px: Math.min(...texts), fits: figure.scrollWidth <= figure.clientWidth + 1, pageWidth: document.documentElement.scrollWidth };
        }),
      );
      for (const size of sizes) {
        if (size.px < (size.fits ? FIT_TEXT_PX : MIN_TEXT_PX) - 0.05) small.push(`${file} #${size.id}: ${size.px.toFixed(1)} px`);
        if (size.pageWidth > 390) small.push(`${file}: the page scrolls sideways (${size.pageWidth} px)`);
      }
    }
    expect(small).toEqual([]);
    await context.close();
  });

  it('leads from each lesson to the exercises that practise it, each named "Exercise NN: …", by Next from the home page', { timeout: 60_000 }, async () => {
    const site = real();
    const { lessons, exercises } = site.report.course;
    const page = await (await browser.newContext()).newPage();
    await page.goto(site.server.url + 'index.html');
    const titles: string[] = [];
    const next = page.locator('a[rel="next"]');
    while ((await next.count()) > 0) {
      await page.goto(await next.evaluate((a) => (a as HTMLAnchorElement).href));
      // The quiz's pages come after the course.
      if (sitePage(site, page.url())?.startsWith('quiz')) break;
      titles.push((await page.textContent('main h1'))?.trim() ?? '');
    }
    expect(titles).toEqual(lessons.flatMap((lesson) => [lesson.title, ...exercises.filter((e) => e.lesson === lesson.id).map(exerciseTitle)]));
    await page.context().close();
  });

  it('prints every lesson and exercise within an A4 sheet: code and tables wrap, diagrams scale, nothing makes Chromium shrink the page', { timeout: 180_000 }, async () => {
    const site = real();
    // An A4 sheet's printable width at 96 px to the inch, less Chromium's default margins. (print.html, the same
    // parts on one page, is checked on the fixture site in navigation.test.ts.)
    const page = await (await browser.newContext({ viewport: { width: 720, height: 1000 } })).newPage();
    await page.emulateMedia({ media: 'print' });
    const files = site.report.coursePages.filter((file) => /^(lessons|exercises)\//.test(file));
    const cut: string[] = [];
    for (const file of files) {
      await page.goto(site.server.url + file);
      const found = await page.evaluate(() => {
        const wider = (element: Element) => element.scrollWidth > element.clientWidth + 1;
        return [
          ...Array.from(document.querySelectorAll('main pre'), (pre) => (wider(pre) ? `code "${(pre.textContent ?? '').slice(0, 30)}"` : '')),
          ...Array.from(document.querySelectorAll('main .table-wrap, figure.diagram'), (frame) => (wider(frame) ? `${frame.className} ${frame.scrollWidth} px` : '')),
          document.documentElement.scrollWidth > window.innerWidth ? `the page: ${document.documentElement.scrollWidth} px` : '',
        ].filter(Boolean);
      });
      cut.push(...found.map((what) => `${file}: ${what}`));
    }
    expect(cut).toEqual([]);
    await page.context().close();
  });

  it('draws the diagrams dark in dark mode, from the system setting and from the theme switch', async () => {
    const site = real();
    const file = [...site.visits.values()].find((v) => v.diagrams.length > 0)?.page as string;
    const look = (page: Page) =>
      page.evaluate(() => {
        const figure = document.querySelector('figure.diagram') as HTMLElement;
        const svg = figure.querySelector('svg:not(.only-dark)') ?? figure.querySelector('svg');
        const shown = Array.from(figure.querySelectorAll('svg')).find((s) => getComputedStyle(s).display !== 'none') ?? svg;
        // A sequence diagram's actor text is coloured on its tspan (its text element carries the box's fill).
        const text = ((shown as SVGSVGElement).querySelector('text tspan') ?? (shown as SVGSVGElement).querySelector('text')) as SVGTextElement;
        const luminance = (color: string) => {
          const [r, g, b] = (color.match(/[\d.]+/g) ?? []).map(Number);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        };
        return { background: luminance(getComputedStyle(figure).backgroundColor), text: luminance(getComputedStyle(text).fill) };
      });
    const dark = await (await browser.newContext({ colorScheme: 'dark' })).newPage();
    await dark.goto(site.server.url + file);
    const fromSystem = await look(dark);
    expect(fromSystem.background).toBeLessThan(0.2);
    expect(fromSystem.text).toBeGreaterThan(0.5);
    await dark.context().close();

    const light = await (await browser.newContext({ colorScheme: 'light' })).newPage();
    await light.goto(site.server.url + file);
    expect((await look(light)).background).toBeGreaterThan(0.9);
    await light.click('.theme-toggle');
    const switched = await look(light);
    expect(switched.background).toBeLessThan(0.2);
    expect(switched.text).toBeGreaterThan(0.5);
    await light.context().close();
  });

  it('answers an unknown address under /course/ with its 404 page, whose links lead back into the site', async () => {
    const site = real();
    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(`${site.server.url}lessons/gone/away.html`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Page not found');
    expect(await page.locator('main a').first().evaluate((a) => (a as HTMLAnchorElement).href)).toBe(`${site.server.url}index.html`);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.sidebar') as Element).position)).toBe('sticky');
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
    expect(html).toContain('a stream with &lt;/script&gt; and &lt;handler&gt; &amp; more');
    expect(html).toContain('<td>Map&lt;topic, Set&lt;handler&gt;&gt;</td>');
    expect(html).toContain('<td>a &amp; b &lt;/script&gt;</td>');
    expect(html).not.toMatch(/<handler>|<\/script>\s*(and|<\/td>)/);
    expect(html).toContain('<p class="from-html-output">HTML <strong>output</strong></p>');
    expect(html).toContain('<pre class="output stderr" tabindex="0" aria-label="Error output">a warning &lt;on stderr&gt;</pre>');
    expect(lesson.diagrams.flatMap((d) => d.texts)).toEqual(expect.arrayContaining(['Sender', 'message', 'Receiver', 'ping', 'pong']));
  });
});
