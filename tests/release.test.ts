/**
 * The student release (`npm run release`): built into a temporary folder, installed with
 * `npm ci --offline` and graded there (the starters score 0 with the public checks only), and
 * scanned file by file for anything of the solutions.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeReport } from '../checker/grade/grade';
import { distinctiveSolutionLines } from '../checker/proof/solution-lines';
import { buildRelease } from '../scripts/release';
import { findRoot, LAYOUT, loadExercises, loadLessons } from '../tooling/course';
import { toPosix } from '../tooling/files';

const root = findRoot(__dirname);
const exercises = loadExercises(root);
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-test-'));
const out = path.join(temp, 'workbook');
let files: string[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: out, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The npm that runs this test: the same CLI, found next to the node binary. */
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What each npm script of the release said when run before ./setup, by name. */
const beforeSetup = new Map<string, { code: number; output: string }>();

/** The npm commands a text names (`npm start`, `npm run grade -- 08`), as script names. */
const npmCommands = (text: string) => [...text.matchAll(/\bnpm (?:run (?:-s )?([\w:-]+)|(start|test))\b/g)].map((m) => m[1] ?? m[2]);

/** The scripts of the release's package.json. */
const releaseScripts = () => (JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

beforeAll(async () => {
  files = buildRelease(root, out);
  // Before ./setup, with no node_modules: every script a student may run.
  for (const name of Object.keys(releaseScripts()).filter((n) => n !== 'postinstall')) {
    const { code, stdout, stderr } = await run(npm, ['run', '-s', name], { NO_COLOR: '1' });
    beforeSetup.set(name, { code, output: stdout + stderr });
  }
  // The postinstall registers the Jupyter kernel: keep that away from the real one.
  const installed = await run(npm, ['ci', '--offline', '--no-audit', '--no-fund'], {
    JUPYTER_DATA_DIR: path.join(temp, 'jupyter'),
    PUPPETEER_SKIP_DOWNLOAD: '1',
  });
  if (installed.code !== 0) throw new Error(`npm ci failed in the release:\n${installed.stderr}`);
}, 5 * 60_000);

// The release's node_modules is large: removing it can take more than the default 10 s on a busy machine.
afterAll(() => fs.rmSync(temp, { recursive: true, force: true, maxRetries: 5 }), 300_000);

describe('npm run release', () => {
  it('leaves out solutions, hidden checks, the gradebook, the proofs, the workbook’s tests and the instructor’s scripts', () => {
    expect(files.length).toBeGreaterThan(50);
    const instructorOnly = [LAYOUT.solutions, LAYOUT.gradebook, LAYOUT.proof, LAYOUT.scripts, LAYOUT.tests];
    const publicChecks = exercises.map((e) => toPosix(e.checks));
    expect(files.filter((f) => instructorOnly.some((dir) => f.startsWith(`${dir}/`)) || (f.endsWith('.test.ts') && !publicChecks.includes(f)))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(hidden\.test\.ts|hidden-harness\.ts|instructor\.json|stryker(-equivalent)?\.json|mutation\.txt)$/.test(f)), 'instructor-only files of an exercise').toEqual([]);
    for (const e of exercises) {
      expect(files, e.id).toContain(toPosix(e.checks));
      for (const name of e.files) expect(files, e.id).toContain(toPosix(path.join(e.dir, name)));
      const record = JSON.parse(fs.readFileSync(path.join(out, e.record), 'utf8')) as Record<string, unknown>;
      expect(record.title).toBe(e.title);
    }
    expect(files).toEqual(expect.arrayContaining(['README.md', 'package-lock.json', '.github/workflows/grade.yml', '.ci/run', `${LAYOUT.grader}/cli.ts`]));
    // Open for reuse, and stamped: the licences, the changelog, and the version and commit it was made from.
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'LICENSE-CONTENT.md', 'CHANGELOG.md', 'release.json']));
    const stamp = JSON.parse(fs.readFileSync(path.join(out, 'release.json'), 'utf8')) as { version: string; commit: string };
    expect(stamp.version).toBe((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
    expect(stamp.commit).toMatch(/^[0-9a-f]{40}(\+changes)?$/);
    // The student sets up with the same script and dev container as the master copy.
    expect(files).toEqual(expect.arrayContaining(['setup', '.devcontainer/devcontainer.json', '.devcontainer/Dockerfile']));
    expect(fs.statSync(path.join(out, 'setup')).mode & 0o111, 'setup is executable').toBe(0o111);
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: object }).scripts);
    expect(scripts).toEqual(expect.arrayContaining(['grade', 'hint', 'typecheck', 'start', 'site']));
    expect(scripts.filter((s) => /release|gradebook|^test$|bench:grade|bench:site/.test(s))).toEqual([]);
  });

  it('says "run ./setup first" from every npm script run before ./setup, never "tsx: not found"', () => {
    expect([...beforeSetup.keys()]).toEqual(expect.arrayContaining(['grade', 'hint', 'start', 'typecheck']));
    for (const [name, { code, output }] of beforeSetup) {
      expect(code, name).toBe(1);
      expect(output, name).toContain('The workbook is not set up yet: run ./setup first');
      expect(output, name).not.toMatch(/not found/);
    }
  });

  it('has a README that names only the commands the release has, the Python exercise and the services each exercise needs', () => {
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).not.toContain('{{');
    const scripts = Object.keys(releaseScripts());
    expect(npmCommands(readme).filter((name) => !scripts.includes(name)), 'npm commands the README names that the release lacks').toEqual([]);
    for (const e of exercises) {
      if (e.language !== 'typescript') expect(readme, e.id).toContain(`Exercise ${e.number} (${e.title}) is in Python`);
      for (const service of e.requires) expect(readme, e.id).toMatch(new RegExp(`Exercise ${e.number} \\([^)]*\\) needs ${{ rabbitmq: 'RabbitMQ', redis: 'Redis' }[service]}`));
    }
    expect(readme).not.toContain('edit only the `.ts` files');
  });

  it('contains no file of solutions/ and no distinctive line of any solution, in any file', () => {
    const lines = distinctiveSolutionLines(root, exercises);
    // A few lines of the solutions are taught by the lessons and their ready-made toolkit (e.g.
    // the retry loop of lesson 07, the JSON answer of toolkit/http): those are not leaks.
    const taught = files.filter((f) => [LAYOUT.lessons, LAYOUT.toolkit].some((dir) => f.startsWith(`${dir}/`))).map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    for (const line of [...lines.keys()]) if (taught.some((text) => text.includes(line))) lines.delete(line);
    expect(lines.size).toBeGreaterThan(100);
    const solutionTexts = exercises.flatMap((e) => e.files.map((name) => fs.readFileSync(path.join(root, e.solutionDir, name), 'utf8')));
    const leaks: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(out, file), 'utf8');
      if (solutionTexts.includes(text)) leaks.push(`${file} is a file of solutions/`);
      for (const [line, from] of lines) if (text.includes(line)) leaks.push(`${file} has "${line}" from ${from}`);
    }
    expect(leaks).toEqual([]);
  });

  it('clears the outputs of every lesson notebook', () => {
    const notebooks = files.filter((f) => f.endsWith('.ipynb'));
    expect(notebooks).toHaveLength(loadLessons(root).length);
    for (const file of notebooks) {
      const cells = (JSON.parse(fs.readFileSync(path.join(out, file), 'utf8')) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: unknown }[] }).cells;
      const dirty = cells.filter((c) => c.cell_type === 'code' && (c.outputs?.length || c.execution_count !== null));
      expect(dirty, file).toEqual([]);
    }
  });

  it('grades after `npm ci --offline`: the starters score 0 on the public checks, exit code 1', async () => {
    const { code, stdout } = await run(npm, ['run', '-s', 'grade', '--', '--json'], { NO_COLOR: '1' });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as GradeReport;
    expect(report.hiddenChecks).toBe(false);
    expect(report.points).toBe(0);
    expect(report.exercises.map((e) => e.id)).toEqual(exercises.map((e) => e.id));
    for (const e of report.exercises) {
      expect(e.checks.hidden.total, e.id).toBe(0);
      if (e.status === 'not-run') continue; // exercise 10 without a broker
      expect(e.problems, e.id).toEqual([]);
      expect(e.total, e.id).toBeGreaterThanOrEqual(5);
      expect(e.failures.some((f) => /TODO/.test(f.message)), e.id).toBe(true);
    }
    const text = await run(npm, ['run', '-s', 'grade', '--', '08'], { NO_COLOR: '1' });
    expect(text.stdout).toMatch(/Exercise\s+Lesson\s+Checks\s+Points/);
    expect(text.stdout).toContain('Your final grade also uses hidden checks');
  }, 3 * 60_000);

  it('ends ./setup with a "Next" line of commands the release has', async () => {
    const setup = await run('bash', ['./setup', '--no-system'], { JUPYTER_DATA_DIR: path.join(temp, 'jupyter'), NO_COLOR: '1' });
    const next = setup.stdout.split('\n').find((line) => line.startsWith('Next: '));
    expect(next, setup.stdout + setup.stderr).toBeDefined();
    expect(npmCommands(next ?? '')).toEqual(['start', 'grade', 'grade']);
    expect(npmCommands(setup.stdout).filter((name) => !Object.keys(releaseScripts()).includes(name)), 'npm commands ./setup names that the release lacks').toEqual([]);
  }, 3 * 60_000);
});
