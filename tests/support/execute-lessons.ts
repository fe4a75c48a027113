/**
 * Global setup of the workbook's tests: executes every lesson notebook once, through real Jupyter
 * and the workbook kernel, into the site's notebook cache. tests/notebooks.test.ts reports the
 * results; the site build in site/test/ finds the executions in the cache instead of running the
 * notebooks a second time.
 */
import type { TestProject } from 'vitest/node';
import { findRoot, loadLessons } from '../../tooling/course';
import { joinText, type DataOutput, type Notebook } from '../../tooling/notebook';
import { cores, mapLimit } from '../../tooling/processes';
import { findChromium, findJupyterPython } from '../../tooling/programs';
import { executeCached, lessonDependencies, withDiagramServer } from '../../site/src/execution';
import { DEFAULT_CACHE_DIR } from '../../site/src/site';

/** What became of one lesson: null when it ran clean, else why not; and the diagrams its cells displayed. */
export type LessonRuns = { notebook: string; failure: string | null; seconds: number; how: string; diagrams: DisplayedDiagrams }[];

/** The diagrams code cells displayed: as SVG images, or as mermaid source (with the line that says why). */
interface DisplayedDiagrams {
  images: number;
  asSource: string[];
}

function displayedDiagrams(notebook: Notebook): DisplayedDiagrams {
  const outputs = notebook.cells.flatMap((cell) => cell.outputs ?? []).filter((output): output is DataOutput => output.output_type === 'display_data');
  return {
    images: outputs.filter((output) => output.metadata?.mermaid === true && 'image/svg+xml' in output.data).length,
    asSource: outputs.map((output) => joinText((output.data['text/markdown'] ?? '') as string | string[])).filter((text) => text.includes('```mermaid')),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The lesson runs, or null when no Jupyter was found. */
    lessonRuns: LessonRuns | null;
  }
}

/** The browser that draws the lessons' diagrams, or why there is none (the lessons then show their mermaid source). */
function browser(): { path: string } | { missing: string } {
  try {
    return { path: findChromium() };
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
}

export default async function executeLessons(project: TestProject): Promise<void> {
  const root = findRoot(__dirname);
  if (!findJupyterPython()) return project.provide('lessonRuns', null);
  const dependencies = lessonDependencies(root, root);
  const runs = await withDiagramServer(DEFAULT_CACHE_DIR, browser(), (env) =>
    mapLimit(loadLessons(root), cores(), async (lesson) => {
      const started = performance.now();
      try {
        const { how, notebook } = await executeCached(lesson.file, { root, cacheDir: DEFAULT_CACHE_DIR, dependencies, env });
        return { notebook: lesson.file, failure: null, seconds: (performance.now() - started) / 1000, how, diagrams: displayedDiagrams(notebook) };
      } catch (error) {
        return { notebook: lesson.file, failure: error instanceof Error ? error.message : String(error), seconds: (performance.now() - started) / 1000, how: 'failed', diagrams: { images: 0, asSource: [] } };
      }
    }),
  );
  project.provide('lessonRuns', runs);
}
