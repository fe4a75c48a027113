/**
 * A vitest kept warm between gradings, for re-grades after a save (`--watch`, a notebook's
 * `grade()`): run-checks.ts starts this file in a child process of its own, with the settings of
 * the checks in its environment as for a cold run, and sends it one message per grading, the
 * check files to run. Vitest, its config, the vite server and what it transformed stay loaded;
 * each check file still runs in a fresh worker process (the config's `forks` pool), and the
 * grading reporter sends the same progress, canaries and report digest over IPC as in a cold run,
 * then this file says `run-end`.
 *
 * A module whose file changed since the last run (by its modification time and size) is
 * transformed anew: a warm run sees the code as a cold one would. The grader's watchdog kills
 * this process like a cold vitest when a check file runs past its time limit; the next grading
 * starts another.
 * @module
 */
import path from 'node:path';
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { createVitest } from 'vitest/node';
import { findRoot, LAYOUT } from '../../tooling/course';
import { fileStamp } from '../../tooling/files';
import type { WarmEvent, WarmRequest } from './run-checks';

const tell = (event: WarmEvent) => process.send?.(event);

async function main(): Promise<void> {
  const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
  /** File → its stamp when vite last loaded it, taken before it read the file. */
  const loaded = new Map<string, string | undefined>();
  const stamps: Plugin = {
    name: 'warm-stamps',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0];
      if (path.isAbsolute(file)) loaded.set(file, fileStamp(file));
      return null;
    },
  };
  const config = path.join(root, LAYOUT.grader, 'vitest.checks.mts');
  const vitest = await createVitest('test', { config, configLoader: 'runner', watch: false }, { plugins: [stamps] });
  // Reporters initialised, no run yet.
  await vitest.standalone();
  const project = vitest.getRootProject();

  process.on('message', (request: WarmRequest) => {
    for (const [file, was] of loaded) {
      if (fileStamp(file) === was) continue;
      loaded.delete(file);
      vitest.invalidateFile(file);
    }
    const end = () => tell({ event: 'run-end' });
    void vitest.runTestSpecifications(request.files.map((file) => project.createSpecification(file))).then(end, end);
  });
  // The grader gone (even killed), this goes too, and its workers with it.
  process.on('disconnect', () => process.exit(0));
  tell({ event: 'ready' });
}

void main();
