/**
 * The titles of the checks in each check file, taken from the clean files before any code under
 * test runs: a report that lacks some of them (the process running a hidden check file was killed,
 * say) is not graded on what is left. Listed by `vitest list` against an empty submission folder
 * (check files load the code under test only when a check runs), and cached by the content of the
 * checks and of the grader's config. No canaries are planted while the titles are listed (they
 * are planted in grading runs only, see vitest.checks.mts), so none is taken for a check.
 * @module
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFilesOf, LAYOUT, loadExercises, type Exercise } from '../../tooling/course';
import { toPosix, writeFileAtomic } from '../../tooling/files';
import { checksEnv } from './checks-env';

/** Check file (relative to the root, forward slashes) → the full titles of its checks ("describe > it"). */
export type CheckTitles = Map<string, string[]>;

/** The full title of a check as the grader names it: its describe blocks and its own title. */
export const fullTitle = (ancestors: string[], title: string) => [...ancestors, title].join(' > ');

/** A hash of the check files, what they share and the grader: the titles change only when one of them does. */
function cacheKey(root: string, exercises: Exercise[], files: string[]): string {
  const hash = createHash('sha256').update(files.join('\n'));
  const shared = [LAYOUT.checkSupport, LAYOUT.grader].flatMap((dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).sort().map((name) => path.join(dir, name)) : []));
  for (const file of [...exercises.flatMap(checkFilesOf), ...shared]) {
    const full = path.join(root, file);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

/** Runs `vitest list` on the check files and reads the titles it lists. */
function listTitles(root: string, files: string[], env: NodeJS.ProcessEnv): Promise<CheckTitles> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'check-titles-'));
  const output = path.join(scratch, 'list.json');
  const args = [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'list', '--configLoader', 'runner', '--config', path.join(root, LAYOUT.grader, 'vitest.checks.mts'), `--json=${output}`, ...files];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...env, ...checksEnv({ submissionDir: scratch, submissions: {} }) }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          const listed = JSON.parse(fs.readFileSync(output, 'utf8')) as { name: string; file: string }[];
          const titles: CheckTitles = new Map(files.map((file) => [file, []]));
          for (const { name, file } of listed) {
            titles.get(toPosix(path.relative(root, file)))?.push(name);
          }
          resolve(titles);
        } catch {
          reject(new Error(`could not list the checks: ${error?.message ?? ''}\n${stdout}${stderr}`.trim()));
        } finally {
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      },
    );
  });
}

/**
 * The titles of the checks in `files` (relative to the root). All the course's check files are
 * listed at once and cached, so that any later grading, of any exercises, finds them there.
 * @param env the environment to list them in (the grader's, without anything of a surrounding vitest)
 */
export async function checkTitles(root: string, files: string[], env: NodeJS.ProcessEnv): Promise<CheckTitles> {
  const exercises = loadExercises(root);
  const all = exercises
    .flatMap((e) => [e.checks, e.hiddenChecks])
    .filter((file) => fs.existsSync(path.join(root, file)))
    .map(toPosix)
    .sort();
  const cacheFile = path.join(root, LAYOUT.cache, 'grade', `titles-${cacheKey(root, exercises, all)}.json`);
  let titles: CheckTitles;
  try {
    titles = new Map(Object.entries(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, string[]>));
  } catch {
    titles = await listTitles(root, all, env);
    writeFileAtomic(cacheFile, JSON.stringify(Object.fromEntries(titles)));
  }
  return new Map(files.map((file) => [file, titles.get(file) ?? []]));
}
