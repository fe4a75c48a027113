/**
 * Builds the course site: executes the lessons (cached), pre-renders their diagrams (cached, one
 * browser), generates the API reference (cached), then writes every page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRoot, LAYOUT, loadCourse, type Course } from '../../tooling/course';
import type { Quiz } from '../../tooling/quiz';
import { findChromium, mapLimit, toPosix, writeFileAtomic } from '../../tooling/system';
import { buildApiReference, type ApiReference } from './api';
import { listFiles } from './cache';
import { DiagramRenderer, type DiagramSource, type DiagramStats } from './diagrams';
import { exerciseDiagrams, renderExercise } from './exercise';
import { executeCached, lessonDependencies, type ExecutedNotebook } from './execution';
import { createCodeHighlighter, type CodeHighlighter } from './highlight';
import { renderHome } from './home';
import { layout, relativeHref, type PageInput, type PageLink, type SiteInfo } from './layout';
import { lessonDiagrams, renderLesson, toolkitAside, toolkitImports } from './lesson';
import { API_INDEX, QUIZ_PATH, exercisePath, lessonPath, linksFor, type SiteMap } from './links';
import { createMarkdown, newPageState } from './markdown';
import { loadQuiz, quizDiagrams, renderQuiz } from './quiz-page';

/** This repository: its typedoc.json and toolkit make the API reference. */
export const REPO_ROOT = findRoot(__dirname);
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, LAYOUT.siteOutput);
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, LAYOUT.siteCache);
const ASSETS_DIR = path.join(__dirname, '..', 'assets');

export interface BuildOptions {
  /** The course to build (default: this repository). */
  root?: string;
  outDir?: string;
  cacheDir?: string;
  /** Quiz data (default: `<root>/lessons/quiz.json`); without it the site has no quiz page. */
  quizFile?: string;
  /** Generate the API reference (default true). */
  api?: boolean;
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
  notebooks: Record<ExecutedNotebook['how'], number>;
  diagrams: DiagramStats;
  diagramSources: DiagramSource[];
  api: ApiReference['how'] | 'off';
  warnings: string[];
  /** Seconds per stage. */
  stages: { notebooks: number; diagrams: number; api: number; pages: number };
}

const since = (start: number) => (performance.now() - start) / 1000;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, since(start)];
}

export async function buildSite(options: BuildOptions = {}): Promise<BuildReport> {
  const started = performance.now();
  const root = options.root ?? REPO_ROOT;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const log = options.log ?? (() => {});
  const warnings: string[] = [];

  // Everything that can stop the build early does so before the slow stages start.
  const course = loadCourse(root);
  const browserPath = findChromium(options.env ?? process.env);
  const quizFile = options.quizFile ?? path.join(root, LAYOUT.quiz);
  const quiz: Quiz | undefined = fs.existsSync(quizFile) ? loadQuiz(quizFile) : undefined;
  if (!quiz) warnings.push(`no quiz data at ${path.relative(root, quizFile)}: the site has no quiz page`);

  const wantApi = options.api ?? true;
  const apiWork = wantApi ? timed(() => buildApiReference(REPO_ROOT, cacheDir)) : Promise.resolve(undefined);
  const highlighterWork = createCodeHighlighter();
  // Awaited later; until then a failure must not surface as an unhandled rejection.
  apiWork.catch(() => {});
  highlighterWork.catch(() => {});
  const dependencies = lessonDependencies(root, REPO_ROOT);
  const [executed, notebookSeconds] = await timed(() =>
    mapLimit(course.lessons, options.notebookConcurrency ?? 2, async (lesson) => {
      const result = await executeCached(lesson.file, { root, cacheDir, dependencies });
      log(`${lesson.file}: ${result.how}`);
      return result;
    }),
  );

  // Markdown is parsed for its diagrams before the highlighter is ready; code is highlighted later.
  const ready: { highlighter?: CodeHighlighter } = {};
  const code = (source: string, language: string) => (ready.highlighter as CodeHighlighter).code(source, language);
  const diagrams = new DiagramRenderer({ cacheDir, browserPath, concurrency: options.diagramConcurrency, noCache: options.noDiagramCache });
  const md = createMarkdown({
    code,
    diagram: (source, occurrence) => diagrams.svg(source, occurrence),
  });
  // Quiz text is short Markdown where `<b>` means the tag's name, not bold text.
  const quizMd = createMarkdown({
    code,
    diagram: (source, occurrence) => diagrams.svg(source, occurrence),
    html: false,
  });
  const quizSource = path.relative(root, quizFile);
  const diagramSources = [
    ...course.lessons.flatMap((lesson, i) => lessonDiagrams(md, executed[i].notebook, lesson.file)),
    ...course.exercises.flatMap((exercise) => exerciseDiagrams(md, root, exercise)),
    ...(quiz ? quizDiagrams(quizMd, quiz, quizSource) : []),
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
  const site: SiteInfo = { title: course.title, hasQuiz: Boolean(quiz), hasApi: Boolean(api) };
  const copies = new Map<string, string>();
  const written = new Set<string>();
  const write = (file: string, content: string | Buffer) => {
    writeFileAtomic(path.join(outDir, file), content);
    written.add(file);
  };

  const lessonLinks: PageLink[] = course.lessons.map((l) => ({ title: l.title, path: lessonPath(l.id) }));
  const exerciseLinks: PageLink[] = course.exercises.map((e) => ({ title: e.title, path: exercisePath(e.id) }));
  const quizLink: PageLink | undefined = quiz ? { title: quiz.title, path: QUIZ_PATH } : undefined;
  const readingOrder: PageLink[] = [{ title: 'Home', path: 'index.html' }, ...lessonLinks, ...exerciseLinks, ...(quizLink ? [quizLink] : [])];
  const page = (input: Omit<PageInput, 'previous' | 'next'>) => {
    const at = readingOrder.findIndex((link) => link.path === input.path);
    write(input.path, layout(site, { ...input, previous: readingOrder[at - 1], next: readingOrder[at + 1] }));
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
    const aside = toolkitAside(toolkitImports(executed[i].notebook), apiHref);
    page({ path: at, title: lesson.title, section: 'lessons', body: renderLesson(executed[i].notebook, lesson.file, state, { md, code }, aside) });
  });
  for (const exercise of course.exercises) {
    const at = exercisePath(exercise.id);
    const state = newPageState(linksFor(siteMap, at, copies, warnings));
    page({ path: at, title: exercise.title, section: 'exercises', body: renderExercise(root, exercise, state, { md, code }) });
  }
  if (quiz) {
    const state = newPageState(linksFor(siteMap, QUIZ_PATH, copies, warnings));
    page({ path: QUIZ_PATH, title: quiz.title, section: 'quiz', body: renderQuiz(quiz, quizSource, state, quizMd), scripts: ['assets/quiz.js'] });
  }

  for (const asset of ['site.css', 'theme.js', 'quiz.js', 'favicon.svg']) write(`assets/${asset}`, fs.readFileSync(path.join(ASSETS_DIR, asset)));
  write('assets/code.css', highlighter.css() + '\n');
  for (const [file, source] of copies) write(file, fs.readFileSync(source));
  if (api) {
    fs.rmSync(path.join(outDir, 'api'), { recursive: true, force: true });
    fs.cpSync(api.dir, path.join(outDir, 'api'), { recursive: true });
    for (const file of api.files) written.add(path.posix.join('api', file));
  }
  removeStale(outDir, written);
  const pagesSeconds = since(pagesStart);

  const notebooks = { executed: 0, cached: 0, 'no code': 0 };
  for (const run of executed) notebooks[run.how]++;
  return {
    outDir,
    course,
    quiz,
    seconds: since(started),
    pages: [...written].filter((file) => file.endsWith('.html')).sort(),
    notebooks,
    diagrams: diagrams.stats,
    diagramSources,
    api: api?.how ?? 'off',
    warnings,
    stages: { notebooks: notebookSeconds, diagrams: diagrams.stats.seconds, api: apiSeconds, pages: pagesSeconds },
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
