/**
 * Builds the course site in five stages, one function each:
 *
 * 1. {@link collect}: read the course (each notebook, README and the quiz once) into the site model,
 *    one page model per lesson and per exercise;
 * 2. {@link execute}: give each lesson fresh outputs (notebook runs, cached);
 * 3. {@link draw}: pre-render the diagrams of every page (cached, one browser);
 * 4. {@link render}: turn the model into the site's files, in memory;
 * 5. {@link write}: write them, copy the API reference in, index the pages for search, remove stale files.
 *
 * The API reference (typedoc, cached) and the code highlighter are made while the first stages run.
 * The same sources always give the same files, byte for byte.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exerciseTitle, findRoot, LAYOUT, loadCourse, readingOrder, type Course, type Exercise, type Lesson } from '../../tooling/course';
import { clearOutputs, type Notebook } from '../../tooling/notebook';
import type { Quiz, QuizQuestion } from '../../tooling/quiz';
import { toPosix, writeFileAtomic } from '../../tooling/files';
import { cores, mapLimit } from '../../tooling/processes';
import { findChromium } from '../../tooling/programs';
import { apiReadme, buildApiReference, copyApiReference, type ApiReference } from './api';
import { listFiles } from '../../tooling/cache';
import { DiagramRenderer, type DiagramSource, type DiagramStats } from '../../tooling/diagrams/renderer';
import { exerciseDiagrams, readExerciseReadme, renderExercise } from './exercise';
import { executeCached, lessonDependencies, withDiagramServer, type ExecutedNotebook } from './execution';
import { createCodeHighlighter, type CodeHighlighter } from './highlight';
import { renderHome } from './home';
import { layout, relativeHref, type ContentsGroup, type PageInput, type PageLink, type SiteInfo } from './layout';
import { lessonDiagrams, renderLesson, toolkitImports, toolkitLinks, withFigureSources } from './lesson';
import { API_INDEX, NOT_FOUND_PATH, PRINT_PATH, QUIZ_PATH, SEARCH_PATH, exercisePath, lessonPath, linksFor, notebookPath, quizPath, type SiteMap } from './links';
import { createMarkdown, newPageState, type Markdown, type PageState } from './markdown';
import { normalizeBaseUrl, renderNotFound, robots, sitemap } from './publish';
import { lessonQuizPage, loadQuiz, questionsByLesson, quizDiagrams, renderQuizPage, reviewQuizPage, type QuizPageContent } from './quiz-page';
import { renderPrintBook, type PrintPart } from './print';
import { codespaceLink, sourceLinks, type SourceLinks } from './repository';
import { cardPath, drawCards, type CardStats, type CardText } from './cards';
import { buildSearchIndex, renderSearchPage } from './search';

/** This repository: its typedoc.json and toolkit make the API reference. */
export const REPO_ROOT = findRoot(__dirname);
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, LAYOUT.siteOutput);
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, LAYOUT.siteCache);
const ASSETS_DIR = path.join(__dirname, '..', 'assets');
const ASSETS = ['site.css', 'theme.js', 'nav.js', 'diagrams.js', 'quiz.js', 'copy.js', 'search.js', 'favicon.svg'];

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
  /** Notebooks executed at once (default: one per core; each kernel keeps a core busy). */
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
  /** The link-preview cards (a published build's only). */
  cards: CardStats | 'off';
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

/** A lesson's page as the stages see it. */
interface LessonPage {
  lesson: Lesson;
  /** Where the page goes, relative to the site's root: `lessons/<id>.html`. */
  path: string;
  /** The notebook file's text, read once: executed, and published with its outputs cleared. */
  source: string;
  /** The notebook with fresh outputs and its figures as mermaid blocks (from {@link execute}). */
  notebook: Notebook;
  /** How the outputs were got: executed now, from the cache, or none ("no code"). */
  how: ExecutedNotebook['how'];
}

/** A lesson's page as {@link collect} leaves it, before {@link execute} runs its notebook. */
type CollectedLesson = Omit<LessonPage, 'notebook' | 'how'>;

/** An exercise's page as the stages see it. */
interface ExercisePage {
  exercise: Exercise;
  /** Where the page goes, relative to the site's root: `exercises/<id>.html`. */
  path: string;
  /** The README's text, read once: searched for diagrams, then rendered. */
  readme: string;
}

/** The quiz as the stages see it: a review page for the whole course and one page per lesson. */
interface QuizPages {
  quiz: Quiz;
  /** The quiz file, relative to the course's root, as messages name it. */
  source: string;
  /** The questions of each lesson, in the course's order; lessons without questions get no page. */
  byLesson: { lesson: Lesson; questions: QuizQuestion[] }[];
  /** Questions that name no lesson of the course: asked on the review page only. */
  unplaced: QuizQuestion[];
}

/** The whole site as the stages see it. */
interface SiteModel {
  root: string;
  course: Course;
  /** The published site's address (`--base-url`), normalized. */
  baseUrl?: string;
  /** The browser that draws the diagrams. */
  browserPath: string;
  /** The address that opens the course in GitHub Codespaces: the course names its repository and has a dev container. */
  codespace?: string;
  lessons: LessonPage[];
  exercises: ExercisePage[];
  quiz?: QuizPages;
}

/** The site model as {@link collect} leaves it: its lessons not executed yet. */
type CollectedSite = Omit<SiteModel, 'lessons'> & { lessons: CollectedLesson[] };

/** The Markdown renderers every page shares, and the code highlighter behind them. */
interface Renderers {
  /** Prose: notebooks' markdown cells and READMEs, raw HTML allowed. */
  md: Markdown;
  /**
   * Text that is data rather than prose, where `<b>` means the tag's name, not bold text: what
   * code cells displayed (showTable's `Map<topic, Set<handler>>`) and the quiz.
   */
  plainMd: Markdown;
  code: (source: string, language: string) => string;
}

/** A file of the built site: its path relative to the site's root, and its content. */
interface SiteFile {
  path: string;
  content: string | Buffer;
}

/** A page of the site, rendered. */
interface RenderedPage {
  path: string;
  html: string;
  /** Indexed for the site's search. */
  searchable: boolean;
  /** What its link-preview card shows (every page of a published site but the 404 page). */
  card?: CardText;
}

/** What {@link render} makes: every file of the site but the API reference and the search index. */
interface RenderedSite {
  pages: RenderedPage[];
  /** The other files: the notebooks to download, the assets, and the files pages link to. */
  files: SiteFile[];
}

/** What {@link write} wrote, relative to the site's root. */
interface WrittenSite {
  /** Every file, the API reference's and the search index's included. */
  files: Set<string>;
  /** The pages of the course itself (not the API reference), sorted. */
  coursePages: string[];
  /** Seconds spent writing the pages and files, and indexing them for search. */
  seconds: { files: number; search: number };
}

/**
 * Builds the site: the five stages in turn, with the API reference and the code highlighter made
 * while the lessons execute and their diagrams are drawn.
 */
export async function buildSite(options: BuildOptions = {}): Promise<BuildReport> {
  const started = performance.now();
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const log = options.log ?? (() => {});
  const warnings: string[] = [];

  const collected = collect(options, warnings);
  const wantApi = options.api ?? true;
  // The reference documents this repository's toolkit, so its index page describes this repository's lessons.
  const apiWork = wantApi ? timed(() => buildApiReference(REPO_ROOT, cacheDir, apiReadme(loadCourse(REPO_ROOT), REPO_ROOT))) : Promise.resolve(undefined);
  const highlighterWork = createCodeHighlighter();
  // Awaited later; until then a failure must not surface as an unhandled rejection.
  apiWork.catch(() => {});
  highlighterWork.catch(() => {});

  const [lessons, notebookSeconds] = await timed(() => execute(collected, { cacheDir, concurrency: options.notebookConcurrency ?? cores(), log }));
  const model: SiteModel = { ...collected, lessons };

  // Diagrams are found by parsing Markdown before the highlighter is ready; code is highlighted when pages render.
  const highlighter: { ready?: CodeHighlighter } = {};
  const diagrams = new DiagramRenderer({ cacheDir, browserPath: model.browserPath, concurrency: options.diagramConcurrency, noCache: options.noDiagramCache });
  const renderers = createRenderers(diagrams, highlighter);
  const diagramSources = await draw(model, diagrams, renderers, log);

  highlighter.ready = await highlighterWork;
  const [api, apiSeconds] = (await apiWork) ?? [undefined, 0];
  if (api) {
    log(`API reference: ${api.how}`);
    warnings.push(...api.warnings.map((w) => `typedoc: ${w}`));
  }

  const [rendered, renderSeconds] = await timed(async () => render(model, renderers, highlighter.ready as CodeHighlighter, api, warnings));
  const [cards, cardSeconds] = await timed(() => addCards(rendered, { cacheDir, browserPath: model.browserPath }));
  const written = await write(rendered, outDir, model.baseUrl, api);

  return {
    outDir,
    course: model.course,
    quiz: model.quiz?.quiz,
    seconds: since(started),
    pages: [...written.files].filter((file) => file.endsWith('.html')).sort(),
    coursePages: written.coursePages,
    searchable: rendered.pages.filter((page) => page.searchable).map((page) => page.path),
    notebooks: countRuns(lessons),
    diagrams: diagrams.stats,
    diagramSources,
    api: api?.how ?? 'off',
    cards: cards ?? 'off',
    warnings,
    stages: { notebooks: notebookSeconds, diagrams: diagrams.stats.seconds, api: apiSeconds, pages: renderSeconds + cardSeconds + written.seconds.files, search: written.seconds.search },
  };
}

/**
 * Stage 1: reads the course, its quiz, and each lesson's notebook and exercise's README once, into
 * the site model without outputs yet. Everything that can stop the build early (a bad `--base-url`,
 * no browser, invalid quiz data) does so here, before the slow stages start.
 */
function collect(options: BuildOptions, warnings: string[]): CollectedSite {
  const root = options.root ?? REPO_ROOT;
  const baseUrl = options.baseUrl === undefined ? undefined : normalizeBaseUrl(options.baseUrl);
  const course = loadCourse(root);
  const browserPath = findChromium(options.env ?? process.env);
  const quizFile = options.quizFile ?? path.join(root, LAYOUT.quiz);
  const quiz = fs.existsSync(quizFile) ? loadQuiz(quizFile) : undefined;
  if (!quiz) warnings.push(`no quiz data at ${path.relative(root, quizFile)}: the site has no quiz page`);
  return {
    root,
    course,
    baseUrl,
    browserPath,
    codespace: course.repository && fs.existsSync(path.join(root, LAYOUT.devcontainer)) ? codespaceLink(course.repository) : undefined,
    lessons: course.lessons.map((lesson) => ({ lesson, path: lessonPath(lesson.id), source: fs.readFileSync(path.join(root, lesson.file), 'utf8') })),
    exercises: course.exercises.map((exercise) => ({ exercise, path: exercisePath(exercise.id), readme: readExerciseReadme(root, exercise) })),
    quiz: quiz ? quizPages(quiz, path.relative(root, quizFile), course.lessons) : undefined,
  };
}

/** The quiz's pages: its questions sorted by the lesson they ask about. */
function quizPages(quiz: Quiz, source: string, lessons: Lesson[]): QuizPages {
  const { lessons: byLesson, unplaced } = questionsByLesson(quiz, lessons);
  return { quiz, source, byLesson, unplaced };
}

/**
 * Stage 2: runs each lesson's notebook through Jupyter, or takes its outputs from the cache when
 * its code and what it depends on are unchanged; then puts each figure's mermaid source in place
 * of its image, for the site to draw in its own themes.
 */
async function execute(
  collected: CollectedSite,
  options: { cacheDir: string; concurrency: number; log: (line: string) => void },
): Promise<LessonPage[]> {
  const { root } = collected;
  const dependencies = lessonDependencies(root, REPO_ROOT);
  return withDiagramServer(options.cacheDir, { path: collected.browserPath }, (env) =>
    mapLimit(collected.lessons, options.concurrency, async (page) => {
      const { notebook, how } = await executeCached(page.lesson.file, { root, cacheDir: options.cacheDir, dependencies, source: page.source, env });
      options.log(`${page.lesson.file}: ${how}`);
      return { ...page, notebook: withFigureSources(root, page.lesson, notebook), how };
    }),
  );
}

/** How many notebooks were executed, taken from the cache, or had no code to run. */
function countRuns(lessons: LessonPage[]): Record<ExecutedNotebook['how'], number> {
  const counts = { executed: 0, cached: 0, 'no code': 0 };
  for (const page of lessons) counts[page.how]++;
  return counts;
}

/** The site's Markdown renderers: ```mermaid blocks drawn by `diagrams`, code by the highlighter once it is ready. */
function createRenderers(diagrams: DiagramRenderer, highlighter: { ready?: CodeHighlighter }): Renderers {
  const code = (source: string, language: string) => (highlighter.ready as CodeHighlighter).code(source, language);
  const diagram = (source: string, page: PageState, section?: string) => page.figures.figure(diagrams.svgs(source), source, section);
  return { md: createMarkdown({ code, diagram }), plainMd: createMarkdown({ code, diagram, html: false }), code };
}

/**
 * Stage 3: finds the diagrams of every page (lessons' cells and outputs, exercises' READMEs, the
 * quiz) and renders those not cached yet, so that the pages can show them. Returns them all.
 */
async function draw(model: SiteModel, diagrams: DiagramRenderer, renderers: Renderers, log: (line: string) => void): Promise<DiagramSource[]> {
  const sources = [
    ...model.lessons.flatMap((page) => lessonDiagrams(renderers.md, page.notebook, page.lesson.file)),
    ...model.exercises.flatMap((page) => exerciseDiagrams(renderers.md, page.exercise, page.readme)),
    ...(model.quiz ? quizDiagrams(renderers.plainMd, model.quiz.quiz, model.quiz.source) : []),
  ];
  await diagrams.prepare(sources);
  log(`diagrams: ${diagrams.stats.found} found, ${diagrams.stats.rendered} rendered, ${diagrams.stats.fromCache} from the cache`);
  return sources;
}

/** What rendering every page shares: the model, the renderers, the frame's contents and reading order, and where links lead. */
interface RenderContext {
  model: SiteModel;
  renderers: Renderers;
  api?: ApiReference;
  site: SiteInfo;
  /** Home, each lesson followed by its exercises (the course's reading order), then the quiz pages: each page's previous and next. */
  readingOrder: PageLink[];
  siteMap: SiteMap;
  /** Files the pages link to, copied into the site: site path to source file. */
  copies: Map<string, string>;
  warnings: string[];
}

/**
 * Stage 4: turns the model into the site's pages and files, in memory: home, the lessons (and their
 * notebooks to download), the exercises, the quiz pages, search, 404, then the assets and the files
 * the pages link to. Links that lead nowhere become warnings.
 */
function render(model: SiteModel, renderers: Renderers, highlighter: CodeHighlighter, api: ApiReference | undefined, warnings: string[]): RenderedSite {
  const context = renderContext(model, renderers, api, warnings);
  const pages = [
    renderHomePage(context),
    ...model.lessons.map((page) => renderLessonPage(context, page)),
    ...model.exercises.map((page) => renderExercisePage(context, page)),
    renderPrintPage(context),
    ...(model.quiz ? renderQuizPages(context, model.quiz) : []),
    framePage(context, { path: SEARCH_PATH, title: 'Search', description: `Search ${model.course.title}: lessons, exercises and quiz.`, section: 'search', body: renderSearchPage(), modules: ['assets/search.js'] }),
    // GitHub Pages serves it at any unknown address, so its links are absolute paths from the site's root.
    notFoundPage(context),
  ];
  // After the pages: rendering them found the files they link to (`context.copies`).
  const files: SiteFile[] = [
    ...model.lessons.map((page) => ({ path: notebookPath(page.lesson.id), content: clearOutputs(page.source) })),
    ...ASSETS.map((asset) => ({ path: `assets/${asset}`, content: fs.readFileSync(path.join(ASSETS_DIR, asset)) })),
    { path: 'assets/code.css', content: highlighter.css() + '\n' },
    ...[...context.copies].map(([file, source]) => ({ path: file, content: fs.readFileSync(source) })),
  ];
  return { pages, files };
}

/** The sidebar's contents and the reading order, from the model. */
function renderContext(model: SiteModel, renderers: Renderers, api: ApiReference | undefined, warnings: string[]): RenderContext {
  const { course, quiz } = model;
  const quizLink: PageLink | undefined = quiz ? { title: quiz.quiz.title, path: QUIZ_PATH } : undefined;
  const exerciseLink = ({ exercise, path }: ExercisePage): PageLink => ({ title: exerciseTitle(exercise), path });
  // Each lesson holds the exercises that practise it; an exercise whose lesson the site lacks is listed on its own.
  const contents: ContentsGroup[] = [
    {
      title: 'Lessons',
      ordered: true,
      links: model.lessons.map(({ lesson, path }) => ({
        title: short(lesson.number, lesson.title),
        path,
        children: model.exercises.filter((page) => page.exercise.lesson === lesson.id).map(exerciseLink),
      })),
    },
    { title: 'Exercises', ordered: true, links: model.exercises.filter((page) => !model.lessons.some((l) => l.lesson.id === page.exercise.lesson)).map(exerciseLink) },
    {
      title: 'More',
      ordered: false,
      links: [
        { title: 'Home', path: 'index.html' },
        ...(quizLink ? [quizLink] : []),
        { title: 'Search', path: SEARCH_PATH },
        { title: 'Print the whole course', path: PRINT_PATH },
        ...(api ? [{ title: 'Toolkit API reference', path: API_INDEX }] : []),
      ],
    },
  ];
  // One quiz page per lesson the quiz asks about, after the whole-course page in the reading order.
  const lessonQuizLinks: PageLink[] = (quiz?.byLesson ?? []).map(({ lesson }) => ({ title: `Quiz: ${lesson.title}`, path: quizPath(lesson.id) }));
  const steps = readingOrder(course).map((step): PageLink => (step.kind === 'lesson' ? { title: step.lesson.title, path: lessonPath(step.lesson.id) } : { title: exerciseTitle(step.exercise), path: exercisePath(step.exercise.id) }));
  const order: PageLink[] = [{ title: 'Home', path: 'index.html' }, ...steps, ...(quizLink ? [quizLink, ...lessonQuizLinks] : [])];
  return {
    model,
    renderers,
    api,
    site: { title: course.title, baseUrl: model.baseUrl, contents },
    readingOrder: order,
    siteMap: { course, hasQuiz: Boolean(quiz), apiModules: api?.modules ?? new Set() },
    copies: new Map(),
    warnings,
  };
}

const lessonLinks = (model: SiteModel): PageLink[] => model.lessons.map(({ lesson, path }) => ({ title: lesson.title, path }));
const exerciseLinks = (model: SiteModel): PageLink[] => model.exercises.map(({ exercise, path }) => ({ title: exercise.title, path }));

/** A fresh state for the Markdown of the page at `at`: its headings, its diagrams, and where its links lead. */
const pageState = (context: RenderContext, at: string) => newPageState(linksFor(context.siteMap, at, context.copies, context.warnings));

/** "Lesson 07 · Error handling" → kind "Lesson 07", title "Error handling", for a page's card. */
function cardText(site: string, title: string, section: PageInput['section']): CardText {
  const numbered = /^(Lesson|Exercise|Quiz)\s+(\d+)\s*[·:.-]\s*(.+)$/i.exec(title);
  if (numbered) return { site, kind: `${numbered[1]} ${numbered[2]}`, title: numbered[3] };
  const kinds: Partial<Record<PageInput['section'], string>> = { quiz: 'Quiz', search: 'Search', print: 'The whole course', home: 'A course workbook' };
  return { site, kind: kinds[section] ?? '', title };
}

/**
 * The pages' link-preview cards as files of the site, for a published build (whose pages name
 * them in `og:image`): drawn, or taken from the cache.
 */
async function addCards(rendered: RenderedSite, options: { cacheDir: string; browserPath: string }): Promise<CardStats | undefined> {
  const cards = new Map(rendered.pages.flatMap((page) => (page.card ? [[cardPath(page.path), page.card] as const] : [])));
  if (cards.size === 0) return undefined;
  const { files, stats } = await drawCards(cards, options);
  for (const [file, content] of files) rendered.files.push({ path: file, content });
  return stats;
}

/** A page in the frame every page shares, with its previous and next pages in the reading order. */
function framePage(context: RenderContext, input: Omit<PageInput, 'previous' | 'next'>, state?: PageState): RenderedPage {
  const at = context.readingOrder.findIndex((link) => link.path === input.path);
  const css = state?.figures.css();
  const html = layout(context.site, {
    ...input,
    // A page with diagrams offers to open the wide ones full-screen.
    scripts: css ? [...(input.scripts ?? []), 'assets/diagrams.js'] : input.scripts,
    previous: at === -1 ? undefined : context.readingOrder[at - 1],
    next: at === -1 ? undefined : context.readingOrder[at + 1],
    headings: input.headings ?? state?.headings,
    css,
  });
  const card = context.model.baseUrl && input.section !== 'error' ? cardText(context.model.course.title, input.title, input.section) : undefined;
  return { path: input.path, html, searchable: input.searchable ?? false, card };
}

/**
 * The 404 page: its links start from the site's path (`--base-url`), or, when the site's address is
 * not known, from `/`, and a script in the page finds the site among the address's folders.
 */
function notFoundPage(context: RenderContext): RenderedPage {
  const { baseUrl } = context.model;
  const root = { path: baseUrl ? new URL(baseUrl).pathname : '/', guessed: !baseUrl };
  return framePage(context, { path: NOT_FOUND_PATH, title: 'Page not found', section: 'error', body: renderNotFound((to) => root.path + to), root });
}

function renderHomePage(context: RenderContext): RenderedPage {
  const { model, api } = context;
  const quiz = model.quiz ? { title: model.quiz.quiz.title, path: QUIZ_PATH } : undefined;
  const body = renderHome(model.course, { lessons: lessonLinks(model), exercises: exerciseLinks(model), quiz, api: api ? API_INDEX : undefined });
  return framePage(context, { path: 'index.html', title: model.course.title, description: model.course.subtitle, section: 'home', body });
}

/** A lesson's page: its cells, with links to its notebook, its exercises, the toolkit reference it uses and its quiz. */
function renderLessonPage(context: RenderContext, page: LessonPage): RenderedPage {
  const state = pageState(context, page.path);
  const body = lessonBody(context, page, page.path, state);
  const source = pageSource(context, page.path, page.lesson.title, page.lesson.file);
  return framePage(context, { path: page.path, title: page.lesson.title, section: 'lessons', body, scripts: ['assets/copy.js'], searchable: true, source }, state);
}

/** A lesson's body, its links relative to the page at `at` (its own, or the print book). */
function lessonBody(context: RenderContext, page: LessonPage, at: string, state: PageState): string {
  const { model, api, renderers } = context;
  const apiHref = (file: string) => (api?.files.has(file) ? relativeHref(at, `api/${file}`) : null);
  const questions = model.quiz?.byLesson.find((entry) => entry.lesson.id === page.lesson.id)?.questions.length;
  const links = {
    notebook: relativeHref(at, notebookPath(page.lesson.id)),
    exercises: model.exercises
      .filter(({ exercise }) => exercise.lesson === page.lesson.id)
      .map(({ exercise, path }) => ({ title: exerciseTitle(exercise), href: relativeHref(at, path) })),
    toolkit: toolkitLinks(toolkitImports(page.notebook), apiHref),
    quiz: questions ? { title: 'the quiz on this lesson', href: relativeHref(at, quizPath(page.lesson.id)), questions } : undefined,
    codespace: model.codespace,
  };
  return renderLesson(page.notebook, page.lesson.file, state, { md: renderers.md, outputMd: renderers.plainMd, code: renderers.code }, links);
}

/** "Edit this page" and "Report a problem" for the page at `at` made from `file`, when the course names its repository. */
function pageSource(context: RenderContext, at: string, title: string, file: string): SourceLinks | undefined {
  const { repository } = context.model.course;
  const { baseUrl } = context.model;
  return repository ? sourceLinks(repository, file, { title, address: baseUrl ? new URL(at, baseUrl).href : at }) : undefined;
}

/** An exercise's page: its README, the lesson it practises, how to grade it, its starter files. */
function renderExercisePage(context: RenderContext, page: ExercisePage): RenderedPage {
  const state = pageState(context, page.path);
  const body = exerciseBody(context, page, page.path, state);
  const title = exerciseTitle(page.exercise);
  const source = pageSource(context, page.path, title, page.exercise.readme);
  return framePage(context, { path: page.path, title, section: 'exercises', body, scripts: ['assets/copy.js'], searchable: true, source }, state);
}

/** An exercise's body, its links relative to the page at `at` (its own, or the print book). */
function exerciseBody(context: RenderContext, page: ExercisePage, at: string, state: PageState): string {
  const { model, renderers } = context;
  const lesson = model.lessons.find((l) => l.lesson.id === page.exercise.lesson);
  const lessonLink = lesson ? { title: lesson.lesson.title, href: relativeHref(at, lesson.path) } : undefined;
  return renderExercise(model.root, page.exercise, page.readme, state, renderers, { lesson: lessonLink, codespace: model.codespace });
}

/** print.html: every lesson and exercise on one page, in the course's reading order. */
function renderPrintPage(context: RenderContext): RenderedPage {
  const { model } = context;
  // The pages themselves warned of their links that lead nowhere already.
  const state = newPageState(linksFor(context.siteMap, PRINT_PATH, context.copies, []));
  const parts = readingOrder(model.course).map((step): PrintPart => {
    if (step.kind === 'lesson') {
      const page = model.lessons.find((l) => l.lesson.id === step.lesson.id) as LessonPage;
      return { id: `part-${step.lesson.id}`, title: step.lesson.title, html: lessonBody(context, page, PRINT_PATH, state) };
    }
    const page = model.exercises.find((e) => e.exercise.id === step.exercise.id) as ExercisePage;
    return { id: `part-exercise-${step.exercise.id}`, title: exerciseTitle(step.exercise), html: exerciseBody(context, page, PRINT_PATH, state) };
  });
  const book = renderPrintBook(model.course.title, model.course.subtitle, parts);
  const description = `${model.course.title}: every lesson and exercise on one page, to print or save as a PDF.`;
  return framePage(context, { path: PRINT_PATH, title: `${model.course.title}: the whole course`, description, section: 'print', body: book.body, headings: book.headings }, state);
}

/** The quiz's review page for the whole course, then one page per lesson it asks about. */
function renderQuizPages(context: RenderContext, quiz: QuizPages): RenderedPage[] {
  const review = reviewQuizPage(
    quiz.quiz,
    quiz.byLesson.map(({ lesson, questions }) => ({
      link: { title: lesson.title, href: relativeHref(QUIZ_PATH, lessonPath(lesson.id)) },
      quiz: { title: `Quiz: ${lesson.title}`, href: relativeHref(QUIZ_PATH, quizPath(lesson.id)) },
      questions,
    })),
    quiz.unplaced,
  );
  const lessonPages = quiz.byLesson.map(({ lesson, questions }) => {
    const at = quizPath(lesson.id);
    const content = lessonQuizPage({ title: lesson.title, href: relativeHref(at, lessonPath(lesson.id)) }, questions, { title: quiz.quiz.title, href: relativeHref(at, QUIZ_PATH) });
    // The document title as short as the lesson's ("Quiz 05 · ..."): a title over 70 characters is cut in tabs and results.
    return renderQuizPageAt(context, quiz, at, /^Lesson\b/i.test(lesson.title) ? lesson.title.replace(/^Lesson\b/i, 'Quiz') : content.title, content);
  });
  return [renderQuizPageAt(context, quiz, QUIZ_PATH, quiz.quiz.title, review), ...lessonPages];
}

/** One quiz page at `at`: its questions, each linked to the lesson it names. */
function renderQuizPageAt(context: RenderContext, quiz: QuizPages, at: string, title: string, content: QuizPageContent): RenderedPage {
  const state = pageState(context, at);
  const lessonLink = (id: string) => {
    const lesson = context.model.lessons.find((page) => page.lesson.id === id);
    return lesson ? { title: lesson.lesson.title, href: relativeHref(at, lesson.path) } : null;
  };
  const body = renderQuizPage(content, quiz.source, state, context.renderers.plainMd, lessonLink);
  return framePage(context, { path: at, title, section: 'quiz', body, scripts: ['assets/quiz.js'], searchable: true }, state);
}

/**
 * Stage 5: writes the pages and files into `outDir`, copies in the API reference (its links to
 * pages the site has), indexes the searchable pages, adds the sitemap (for a published site) and
 * robots.txt, and removes what an earlier build wrote and this one did not.
 */
async function write(rendered: RenderedSite, outDir: string, baseUrl: string | undefined, api: ApiReference | undefined): Promise<WrittenSite> {
  const filesStart = performance.now();
  const written = new Set<string>();
  const writeFile = (file: string, content: string | Buffer) => {
    writeFileAtomic(path.join(outDir, file), content);
    written.add(file);
  };
  for (const page of rendered.pages) writeFile(page.path, page.html);
  for (const file of rendered.files) writeFile(file.path, file.content);
  if (api) {
    copyApiReference(api, path.join(outDir, 'api'), (sitePath) => written.has(sitePath), baseUrl);
    for (const file of api.files) written.add(path.posix.join('api', toPosix(file)));
  }
  const filesSeconds = since(filesStart);
  const coursePages = [...written].filter((file) => file.endsWith('.html') && !file.startsWith('api/')).sort();

  const searchable = rendered.pages.filter((page) => page.searchable);
  const [searchFiles, searchSeconds] = await timed(() => buildSearchIndex(outDir, searchable));
  for (const file of searchFiles) written.add(file);
  const listed = [...written].filter((file) => file.endsWith('.html') && file !== SEARCH_PATH && file !== NOT_FOUND_PATH && file !== PRINT_PATH).sort();
  if (baseUrl) writeFile('sitemap.xml', sitemap(baseUrl, listed));
  writeFile('robots.txt', robots(baseUrl));
  removeStale(outDir, written);
  return { files: written, coursePages, seconds: { files: filesSeconds, search: searchSeconds } };
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
