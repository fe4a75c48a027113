/**
 * Builds the course site: executes the lessons (cached), pre-renders their diagrams (cached, one
 * browser), generates the API reference (cached), writes every page, then indexes them for search.
 * The same sources always give the same files, byte for byte.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRoot, LAYOUT, loadCourse, type Course } from '../../tooling/course';
import { clearOutputs } from '../../tooling/notebook';
import type { Quiz } from '../../tooling/quiz';
import { findChromium, mapLimit, toPosix, writeFileAtomic } from '../../tooling/system';
import { apiReadme, buildApiReference, copyApiReference, type ApiReference } from './api';
import { listFiles } from '../../tooling/cache';
import { DiagramRenderer, type DiagramSource, type DiagramStats } from '../../tooling/diagrams/renderer';
import { exerciseDiagrams, renderExercise } from './exercise';
import { executeCached, lessonDependencies, type ExecutedNotebook } from './execution';
import { createCodeHighlighter, type CodeHighlighter } from './highlight';
import { renderHome } from './home';
import { layout, relativeHref, type ContentsGroup, type PageInput, type PageLink, type SiteInfo } from './layout';
import { lessonDiagrams, renderLesson, toolkitImports, toolkitLinks, withFigureSources } from './lesson';
import { API_INDEX, NOT_FOUND_PATH, QUIZ_PATH, SEARCH_PATH, exercisePath, lessonPath, linksFor, notebookPath, quizPath, type SiteMap } from './links';
import { createMarkdown, newPageState, type PageState } from './markdown';
import { normalizeBaseUrl, renderNotFound, robots, sitemap } from './publish';
import { lessonQuizPage, loadQuiz, questionsByLesson, quizDiagrams, renderQuizPage, reviewQuizPage } from './quiz-page';
import { buildSearchIndex, renderSearchPage } from './search';

/** This repository: its typedoc.json and toolkit make the API reference. */
export const REPO_ROOT = findRoot(__dirname);
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, LAYOUT.siteOutput);
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, LAYOUT.siteCache);
const ASSETS_DIR = path.join(__dirname, '..', 'assets');
const ASSETS = ['site.css', 'theme.js', 'quiz.js', 'copy.js', 'search.js', 'favicon.svg'];

export interface BuildOptions {
  /** The course to build (default: this repository). */
  root?: string;
  outDir?: string;
  cacheDir?: string;
  /** Quiz data (default: `<root>/lessons/quiz.json`); without it the site has no quiz page. */
  quizFile?: string;
  /** Generate the API reference (default true). */
  api?: boolean;
  /** The address the site is published at, e.g. `https://org.github.io/course/`: canonical links, sitemap, Open Graph. */
  baseUrl?: string;
  notebookConcurrency?: number;
  diagramConcurrency?: number;
  /** Render every diagram even if cached (for the bench). */
  noDiagramCache?: boolean;
  /** Where to look for PUPPETEER_EXECUTABLE_PATH (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface BuildReport {
  outDir: string;
  /** The course as the build found it (lessons and exercises are discovered from files). */
  course: Course;
  /** The validated quiz, when there is one. */
  quiz?: Quiz;
  seconds: number;
  /** Site-relative paths of the HTML pages written (the API reference's included). */
  pages: string[];
  /** The pages of the course itself: home, lessons, exercises, quiz, search, 404 (not the API reference). */
  coursePages: string[];
  /** The pages the search index covers. */
  searchable: string[];
  notebooks: Record<ExecutedNotebook['how'], number>;
  diagrams: DiagramStats;
  diagramSources: DiagramSource[];
  api: ApiReference['how'] | 'off';
  warnings: string[];
  /** Seconds per stage. */
  stages: { notebooks: number; diagrams: number; api: number; pages: number; search: number };
}

const since = (start: number) => (performance.now() - start) / 1000;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, since(start)];
}

/** "Lesson 03 · Delivery guarantees" → "03 · Delivery guarantees", for the sidebar. */
const short = (number: string, title: string) => `${number} · ${title.replace(/^(Lesson|Exercise)\s+\d+\s*[·:.-]\s*/i, '')}`;

export async function buildSite(options: BuildOptions = {}): Promise<BuildReport> {
  const started = performance.now();
  const root = options.root ?? REPO_ROOT;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const log = options.log ?? (() => {});
  const warnings: string[] = [];

  // Everything that can stop the build early does so before the slow stages start.
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const course = loadCourse(root);
  const browserPath = findChromium(options.env ?? process.env);
  const quizFile = options.quizFile ?? path.join(root, LAYOUT.quiz);
  const quiz: Quiz | undefined = fs.existsSync(quizFile) ? loadQuiz(quizFile) : undefined;
  if (!quiz) warnings.push(`no quiz data at ${path.relative(root, quizFile)}: the site has no quiz page`);

  const wantApi = options.api ?? true;
  // The reference documents this repository's toolkit, so its index page describes this repository's lessons.
  const apiWork = wantApi ? timed(() => buildApiReference(REPO_ROOT, cacheDir, apiReadme(loadCourse(REPO_ROOT), REPO_ROOT))) : Promise.resolve(undefined);
  const highlighterWork = createCodeHighlighter();
  // Awaited later; until then a failure must not surface as an unhandled rejection.
  apiWork.catch(() => {});
  highlighterWork.catch(() => {});
  const dependencies = lessonDependencies(root, REPO_ROOT);
  const [executed, notebookSeconds] = await timed(() =>
    mapLimit(course.lessons, options.notebookConcurrency ?? 2, async (lesson) => {
      const result = await executeCached(lesson.file, { root, cacheDir, dependencies });
      log(`${lesson.file}: ${result.how}`);
      return { ...result, notebook: withFigureSources(root, lesson, result.notebook) };
    }),
  );

  // Markdown is parsed for its diagrams before the highlighter is ready; code is highlighted later.
  const ready: { highlighter?: CodeHighlighter } = {};
  const code = (source: string, language: string) => (ready.highlighter as CodeHighlighter).code(source, language);
  const diagrams = new DiagramRenderer({ cacheDir, browserPath, concurrency: options.diagramConcurrency, noCache: options.noDiagramCache });
  const diagram = (source: string, page: PageState) => page.figures.figure(diagrams.svgs(source));
  const md = createMarkdown({ code, diagram });
  // Text that is data rather than prose, where `<b>` means the tag's name, not bold text: what
  // code cells displayed (showTable's `Map<topic, Set<handler>>`) and the quiz.
  const plainMd = createMarkdown({ code, diagram, html: false });
  const quizSource = path.relative(root, quizFile);
  const diagramSources = [
    ...course.lessons.flatMap((lesson, i) => lessonDiagrams(md, executed[i].notebook, lesson.file)),
    ...course.exercises.flatMap((exercise) => exerciseDiagrams(md, root, exercise)),
    ...(quiz ? quizDiagrams(plainMd, quiz, quizSource) : []),
  ];
  await diagrams.prepare(diagramSources);
  log(`diagrams: ${diagrams.stats.found} found, ${diagrams.stats.rendered} rendered, ${diagrams.stats.fromCache} from the cache`);

  const highlighter = await highlighterWork;
  ready.highlighter = highlighter;
  const [api, apiSeconds] = (await apiWork) ?? [undefined, 0];
  if (api) {
    log(`API reference: ${api.how}`);
    warnings.push(...api.warnings.map((w) => `typedoc: ${w}`));
  }

  const pagesStart = performance.now();
  const siteMap: SiteMap = { course, hasQuiz: Boolean(quiz), apiModules: api?.modules ?? new Set() };
  const copies = new Map<string, string>();
  const written = new Set<string>();
  const write = (file: string, content: string | Buffer) => {
    writeFileAtomic(path.join(outDir, file), content);
    written.add(file);
  };

  const lessonLinks: PageLink[] = course.lessons.map((l) => ({ title: l.title, path: lessonPath(l.id) }));
  const exerciseLinks: PageLink[] = course.exercises.map((e) => ({ title: e.title, path: exercisePath(e.id) }));
  const quizLink: PageLink | undefined = quiz ? { title: quiz.title, path: QUIZ_PATH } : undefined;
  // One quiz page per lesson the quiz asks about, after the whole-course page in the reading order.
  const quizzes = quiz ? questionsByLesson(quiz, course.lessons) : { lessons: [], unplaced: [] };
  const lessonQuizLinks: PageLink[] = quizzes.lessons.map(({ lesson }) => ({ title: `Quiz: ${lesson.title}`, path: quizPath(lesson.id) }));
  const contents: ContentsGroup[] = [
    { title: 'Lessons', ordered: true, links: course.lessons.map((l) => ({ title: short(l.number, l.title), path: lessonPath(l.id) })) },
    { title: 'Exercises', ordered: true, links: course.exercises.map((e) => ({ title: short(e.number, e.title), path: exercisePath(e.id) })) },
    {
      title: 'More',
      ordered: false,
      links: [
        { title: 'Home', path: 'index.html' },
        ...(quizLink ? [quizLink] : []),
        { title: 'Search', path: SEARCH_PATH },
        ...(api ? [{ title: 'Toolkit API reference', path: API_INDEX }] : []),
      ],
    },
  ];
  const site: SiteInfo = { title: course.title, baseUrl, contents };
  const readingOrder: PageLink[] = [{ title: 'Home', path: 'index.html' }, ...lessonLinks, ...exerciseLinks, ...(quizLink ? [quizLink, ...lessonQuizLinks] : [])];
  const searchable: { path: string; html: string }[] = [];
  const page = (input: Omit<PageInput, 'previous' | 'next'>, state?: PageState) => {
    const at = readingOrder.findIndex((link) => link.path === input.path);
    const html = layout(site, {
      ...input,
      previous: at === -1 ? undefined : readingOrder[at - 1],
      next: at === -1 ? undefined : readingOrder[at + 1],
      headings: state?.headings,
      css: state?.figures.css(),
    });
    write(input.path, html);
    if (input.searchable) searchable.push({ path: input.path, html });
  };

  const quizOf = (lessonId: string, from: string) => {
    const questions = quizzes.lessons.find((entry) => entry.lesson.id === lessonId)?.questions.length;
    return questions ? { title: 'the quiz on this lesson', href: relativeHref(from, quizPath(lessonId)), questions } : undefined;
  };
  page({
    path: 'index.html',
    title: course.title,
    description: course.subtitle,
    section: 'home',
    body: renderHome(course, { lessons: lessonLinks, exercises: exerciseLinks, quiz: quizLink, api: api ? API_INDEX : undefined }),
  });
  course.lessons.forEach((lesson, i) => {
    const at = lessonPath(lesson.id);
    const state = newPageState(linksFor(siteMap, at, copies, warnings));
    const apiHref = (file: string) => (api?.files.has(file) ? relativeHref(at, `api/${file}`) : null);
    const links = {
      notebook: relativeHref(at, notebookPath(lesson.id)),
      exercises: course.exercises.filter((e) => e.lesson === lesson.id).map((e) => ({ title: `Exercise ${short(e.number, e.title)}`, href: relativeHref(at, exercisePath(e.id)) })),
      toolkit: toolkitLinks(toolkitImports(executed[i].notebook), apiHref),
      quiz: quizOf(lesson.id, at),
    };
    const body = renderLesson(executed[i].notebook, lesson.file, state, { md, outputMd: plainMd, code }, links);
    page({ path: at, title: lesson.title, section: 'lessons', body, scripts: ['assets/copy.js'], searchable: true }, state);
    write(notebookPath(lesson.id), clearOutputs(fs.readFileSync(path.join(root, lesson.file), 'utf8')));
  });
  for (const exercise of course.exercises) {
    const at = exercisePath(exercise.id);
    const state = newPageState(linksFor(siteMap, at, copies, warnings));
    const lesson = course.lessons.find((l) => l.id === exercise.lesson);
    const lessonLink = lesson ? { title: lesson.title, href: relativeHref(at, lessonPath(lesson.id)) } : undefined;
    const body = renderExercise(root, exercise, state, { md, code }, lessonLink);
    page({ path: at, title: exercise.title, section: 'exercises', body, scripts: ['assets/copy.js'], searchable: true }, state);
  }
  if (quiz) {
    const lessonLinkFrom = (from: string) => (id: string) => {
      const lesson = course.lessons.find((l) => l.id === id);
      return lesson ? { title: lesson.title, href: relativeHref(from, lessonPath(lesson.id)) } : null;
    };
    const quizPage = (at: string, title: string, content: Parameters<typeof renderQuizPage>[0]) => {
      const state = newPageState(linksFor(siteMap, at, copies, warnings));
      const body = renderQuizPage(content, quizSource, state, plainMd, lessonLinkFrom(at));
      page({ path: at, title, section: 'quiz', body, scripts: ['assets/quiz.js'], searchable: true }, state);
    };
    const review = reviewQuizPage(
      quiz,
      quizzes.lessons.map(({ lesson, questions }) => ({
        link: { title: lesson.title, href: relativeHref(QUIZ_PATH, lessonPath(lesson.id)) },
        quiz: { title: `Quiz: ${lesson.title}`, href: relativeHref(QUIZ_PATH, quizPath(lesson.id)) },
        questions,
      })),
      quizzes.unplaced,
    );
    quizPage(QUIZ_PATH, quiz.title, review);
    for (const { lesson, questions } of quizzes.lessons) {
      const at = quizPath(lesson.id);
      const content = lessonQuizPage({ title: lesson.title, href: relativeHref(at, lessonPath(lesson.id)) }, questions, { title: quiz.title, href: relativeHref(at, QUIZ_PATH) });
      // The document title as short as the lesson's ("Quiz 05 · ..."): a title over 70 characters is cut in tabs and results.
      quizPage(at, /^Lesson\b/i.test(lesson.title) ? lesson.title.replace(/^Lesson\b/i, 'Quiz') : content.title, content);
    }
  }
  page({ path: SEARCH_PATH, title: 'Search', description: `Search ${course.title}: lessons, exercises and quiz.`, section: 'search', body: renderSearchPage(), modules: ['assets/search.js'] });
  // GitHub Pages serves it at any unknown address, so its links resolve from the site's root.
  page({ path: NOT_FOUND_PATH, title: 'Page not found', section: 'error', body: renderNotFound(), base: baseUrl ? new URL(baseUrl).pathname : undefined });

  for (const asset of ASSETS) write(`assets/${asset}`, fs.readFileSync(path.join(ASSETS_DIR, asset)));
  write('assets/code.css', highlighter.css() + '\n');
  for (const [file, source] of copies) write(file, fs.readFileSync(source));
  if (api) {
    const hasPage = (sitePath: string) => written.has(sitePath);
    copyApiReference(api, path.join(outDir, 'api'), hasPage);
    for (const file of api.files) written.add(path.posix.join('api', toPosix(file)));
  }
  const pagesSeconds = since(pagesStart);
  const coursePages = [...written].filter((file) => file.endsWith('.html') && !file.startsWith('api/')).sort();

  const [searchFiles, searchSeconds] = await timed(() => buildSearchIndex(outDir, searchable));
  for (const file of searchFiles) written.add(file);
  const listed = [...written].filter((file) => file.endsWith('.html') && file !== SEARCH_PATH && file !== NOT_FOUND_PATH).sort();
  if (baseUrl) write('sitemap.xml', sitemap(baseUrl, listed));
  write('robots.txt', robots(baseUrl));
  removeStale(outDir, written);

  const notebooks = { executed: 0, cached: 0, 'no code': 0 };
  for (const run of executed) notebooks[run.how]++;
  return {
    outDir,
    course,
    quiz,
    seconds: since(started),
    pages: [...written].filter((file) => file.endsWith('.html')).sort(),
    coursePages,
    searchable: searchable.map((p) => p.path),
    notebooks,
    diagrams: diagrams.stats,
    diagramSources,
    api: api?.how ?? 'off',
    warnings,
    stages: { notebooks: notebookSeconds, diagrams: diagrams.stats.seconds, api: apiSeconds, pages: pagesSeconds, search: searchSeconds },
  };
}

/** Deletes what an earlier build wrote and this one did not (a renamed lesson, say). */
function removeStale(outDir: string, written: Set<string>): void {
  for (const file of listFiles(outDir)) {
    if (!written.has(toPosix(file))) fs.rmSync(path.join(outDir, file), { force: true });
  }
  const prune = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      prune(path.join(dir, entry.name));
      if (fs.readdirSync(path.join(dir, entry.name)).length === 0) fs.rmdirSync(path.join(dir, entry.name));
    }
  };
  if (fs.existsSync(outDir)) prune(outDir);
}

/** A scratch folder for a build (tests and the bench). */
export function temporaryDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
