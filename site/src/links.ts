/**
 * Where things live on the site, and how a relative link in a notebook or README (written for
 * someone browsing the repository) becomes a link between pages of the site.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Course } from '../../tooling/course';
import { starterId } from './exercise';
import { relativeHref } from './layout';
import type { LinkResolver } from './markdown';

export const lessonPath = (id: string) => `lessons/${id}.html`;
export const exercisePath = (id: string) => `exercises/${id}.html`;
export const notebookPath = (id: string) => `lessons/${id}.ipynb`;
export const QUIZ_PATH = 'quiz.html';
/** The quiz page of one lesson. */
export const quizPath = (lessonId: string) => `quiz/${lessonId}.html`;
export const SEARCH_PATH = 'search.html';
/** The whole course on one page, to print. */
export const PRINT_PATH = 'print.html';
export const NOT_FOUND_PATH = '404.html';
export const API_INDEX = 'api/index.html';

const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;
/** Folders whose files may be published when a page links to them (never solutions/ or checker/). */
const PUBLISHABLE = /^(lessons|exercises)\//;

export interface SiteMap {
  course: Course;
  hasQuiz: boolean;
  /** Toolkit modules with a reference page. */
  apiModules: Set<string>;
}

/** The site page (and fragment) a repository path leads to, or null. */
function pageForRepoPath(site: SiteMap, repoPath: string): string | null {
  const clean = repoPath.replace(/\/$/, '');
  const lesson = site.course.lessons.find((l) => l.file === clean);
  if (lesson) return lessonPath(lesson.id);
  if (clean === 'lessons/quiz.json' && site.hasQuiz) return QUIZ_PATH;
  if (clean === 'README.md' || clean === '') return 'index.html';
  for (const exercise of site.course.exercises) {
    if (clean === exercise.dir || clean === exercise.readme) return exercisePath(exercise.id);
    const file = path.posix.relative(exercise.dir, clean);
    if (exercise.files.includes(file)) return `${exercisePath(exercise.id)}#${starterId(file)}`;
  }
  const toolkit = /^toolkit\/([\w-]+)(\.ts|\/.*)?$/.exec(clean);
  if (toolkit && site.apiModules.has(toolkit[1])) return `api/${toolkit[1]}.html`;
  return null;
}

/**
 * A resolver for links on the page at `pagePath`. Linked files that are not pages (a Python
 * companion, say) and images are copied into the site under `files/`; `copies` collects them
 * (site path to source file).
 */
export function linksFor(site: SiteMap, pagePath: string, copies: Map<string, string>, warnings: string[]): LinkResolver {
  const fromRepo = (target: string, fromSource: string) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(fromSource), decodeURI(target)));
  return {
    link(target, fromSource) {
      const [file, fragment] = target.split('#', 2);
      const repoPath = fromRepo(file, fromSource);
      if (repoPath.startsWith('..')) return null;
      let page = pageForRepoPath(site, repoPath);
      if (page === null) {
        const source = path.join(site.course.root, repoPath);
        if (!PUBLISHABLE.test(repoPath) || !fs.existsSync(source) || !fs.statSync(source).isFile()) return null;
        page = `files/${repoPath}`;
        copies.set(page, source);
      }
      return relativeHref(pagePath, fragment === undefined || page.includes('#') ? page : `${page}#${fragment}`);
    },
    image(target, fromSource) {
      const repoPath = fromRepo(target, fromSource);
      const file = path.join(site.course.root, repoPath);
      if (repoPath.startsWith('..') || !IMAGE.test(repoPath) || !fs.existsSync(file)) return null;
      copies.set(`files/${repoPath}`, file);
      return relativeHref(pagePath, `files/${repoPath}`);
    },
    warn(message) {
      warnings.push(message);
    },
    named(text) {
      // "exercise `02-at-least-once`" in a lesson: the id of an exercise or a lesson, written as code.
      const exercise = site.course.exercises.find((e) => e.id === text);
      const lesson = site.course.lessons.find((l) => l.id === text);
      const page = exercise ? exercisePath(exercise.id) : lesson ? lessonPath(lesson.id) : null;
      return page && page !== pagePath ? relativeHref(pagePath, page) : null;
    },
  };
}
