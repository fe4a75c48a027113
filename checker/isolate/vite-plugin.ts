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

/**
 * How many times longer a check may take with the submission's code in a process of its own. Each
 * use of the code is a message there and back, and each waits for the other process to get a core:
 * on an idle two-core machine the slowest exercises took 2-4 times as long apart, but at a load
 * average of 17 (five gradings at once) two hidden checks of exercises 17 and 19 took more than 4
 * times their in-process limit. The limit is there to stop a loop, which it still does.
 */
export const ISOLATION_SLOWDOWN = 8;

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
