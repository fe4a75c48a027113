/**
 * Global setup of the workbook's tests: executes every lesson notebook once, through real Jupyter
 * and the workbook kernel, into the site's notebook cache. tests/notebooks.test.ts reports the
 * results; the site build in site/test/ finds the executions in the cache instead of running the
 * notebooks a second time.
 */
import type { TestProject } from 'vitest/node';
import { findRoot, loadLessons } from '../../tooling/course';
import { cores, findJupyterPython, mapLimit } from '../../tooling/system';
import { executeCached, lessonDependencies } from '../../site/src/execution';
import { DEFAULT_CACHE_DIR } from '../../site/src/site';

/** What became of one lesson: null when it ran clean, else why not. */
export type LessonRuns = { notebook: string; failure: string | null; seconds: number; how: string }[];

declare module 'vitest' {
  export interface ProvidedContext {
    /** The lesson runs, or null when no Jupyter was found. */
    lessonRuns: LessonRuns | null;
  }
}

export default async function executeLessons(project: TestProject): Promise<void> {
  const root = findRoot(__dirname);
  if (!findJupyterPython()) return project.provide('lessonRuns', null);
  const dependencies = lessonDependencies(root, root);
  const runs = await mapLimit(loadLessons(root), cores(), async (lesson) => {
    const started = performance.now();
    try {
      const { how } = await executeCached(lesson.file, { root, cacheDir: DEFAULT_CACHE_DIR, dependencies });
      return { notebook: lesson.file, failure: null, seconds: (performance.now() - started) / 1000, how };
    } catch (error) {
      return { notebook: lesson.file, failure: error instanceof Error ? error.message : String(error), seconds: (performance.now() - started) / 1000, how: 'failed' };
    }
  });
  project.provide('lessonRuns', runs);
}
