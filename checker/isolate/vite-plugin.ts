/**
 * In a grading with the submission in a process of its own (the `isolate` setting), the checks'
 * `import ... from '@submission/NN-slug/<file>'` gives a module made here: each export its record
 * lists, taken from the submission's process (submission-process.ts). The submission's own files
 * are then never loaded into the checks' process.
 * @module
 */
import path from 'node:path';
import type { Plugin } from 'vite';
import { LAYOUT } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import type { GradedFolder } from '../grade/import-rules';

const PREFIX = '\0submission-in-own-process:';

/** How many times longer a check may take with the submission's code in a process of its own. */
export const ISOLATION_SLOWDOWN = 4;

/**
 * Exercises whose code still shares the checks' process in the final grade, and why: their checks
 * use the code hundreds of thousands of times (netsim handlers, a queue fed 10,000 items, a saga
 * reloaded for every crash), and each use is a message there and back (about 60-80 µs on a busy
 * two-core machine), so their checks ran far slower in a process of their own (measured with the
 * solutions, wall time of public and hidden checks, in-process → own process). Until the boundary
 * is faster, the forge the canaries cannot catch (checker/README.md) still works on these.
 */
export const SHARES_CHECKS_PROCESS: Record<string, string> = {
  '11-ordered-receiver': '2.3 s → 13 s',
  '12-bounded-queue': '2.4 s → 55 s (560,000 messages)',
  '13-failure-detector': '2.5 s → 16 s',
  '14-retry-budget': '2.1 s → 16 s',
  '17-causal-delivery': '3.0 s → 44 s',
  '19-saga-orchestrator': '2.9 s → 27 s',
};

export function isolateSubmissions(root: string, graded: GradedFolder[]): Plugin {
  const launcher = toPosix(path.join(root, LAYOUT.isolation, 'submission-process.ts'));
  return {
    name: 'isolate-submissions',
    enforce: 'pre',
    resolveId(source) {
      const match = /^@submission\/([^/]+)\/(.+?)(\.ts)?$/.exec(source);
      const folder = match && graded.find(({ exercise }) => exercise.id === match[1]);
      if (!match || !folder) return null;
      return `${PREFIX}${JSON.stringify([folder.exercise.id, `${match[2]}.ts`])}`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const [exerciseId, file] = JSON.parse(id.slice(PREFIX.length)) as [string, string];
      const folder = graded.find(({ exercise }) => exercise.id === exerciseId) as GradedFolder;
      const names = folder.exercise.exports[file] ?? [];
      return [
        `import { submissionModule } from ${JSON.stringify(launcher)};`,
        `const code = await submissionModule(${JSON.stringify(path.join(folder.dir, file))});`,
        ...names.map((name) => `export const ${name} = code[${JSON.stringify(name)}];`),
      ].join('\n');
    },
  };
}
