/**
 * `npm run grade` and `npm run hint` as a student runs them: output, JSON and exit codes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT, type Mutant } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { checkTitles } from '../grade/check-titles';
import type { GradeReport } from '../grade/grade';
import { childEnv } from '../grade/run-checks';
import { writeRecipe } from './mutation';
import { exercise, minutes, removePlantedFixtures, root, scratchDir } from './test-support';

/** How many public and hidden checks an exercise has, as the grader lists them. */
const counts: Record<string, { public: number; hidden: number }> = {};
beforeAll(async () => {
  for (const id of ['07-pub-sub', '08-retry-backoff', '09-circuit-breaker']) {
    const [publicFile, hiddenFile] = [exercise(id).checks, exercise(id).hiddenChecks].map(toPosix);
    const titles = await checkTitles(root, [publicFile, hiddenFile], childEnv());
    counts[id] = { public: titles.get(publicFile)?.length ?? 0, hidden: titles.get(hiddenFile)?.length ?? 0 };
  }
}, minutes(2));

const scratch = scratchDir('cli');
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  removePlantedFixtures();
});

/** Runs `tsx checker/grade/cli.ts ...args` and collects what it prints and its exit code. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, LAYOUT.grader, 'cli.ts'), ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run grade', () => {
  it('prints a table with public and hidden checks and points, and exits 0 when everything passes', async () => {
    const { code, stdout } = await cli(['grade', '09', '--solutions']);
    expect(stdout).toMatch(/Exercise\s+Lesson\s+Public\s+Hidden\s+Points/);
    const { public: n, hidden: h } = counts['09-circuit-breaker'];
    expect(stdout).toMatch(new RegExp(`09-circuit-breaker\\s+07\\s+${n}/${n}\\s+${h}/${h}\\s+10/10\\s+✓ done`));
    expect(stdout).toMatch(new RegExp(`Total\\s+${n}/${n}\\s+${h}/${h}\\s+10/10`));
    expect(stdout).toContain('hidden ones (solutions/NN-slug/hidden.test.ts, marked [hidden]) are kept for the final grade');
    expect(code).toBe(0);
  }, minutes(2));

  it('lists each failed check with a short message instead of a stack, and exits 1', async () => {
    const { code, stdout } = await cli(['grade', 'circuit-breaker', '07']);
    expect(code).toBe(1);
    const [breaker, pubSub] = [counts['09-circuit-breaker'], counts['07-pub-sub']];
    expect(stdout).toMatch(new RegExp(`09-circuit-breaker\\s+07\\s+0/${breaker.public}\\s+0/${breaker.hidden}\\s+0/10`));
    expect(stdout).toMatch(new RegExp(`Total\\s+0/${breaker.public + pubSub.public}\\s+0/${breaker.hidden + pubSub.hidden}\\s+0/20`));
    expect(stdout).toMatch(/✗ \d+ checks failed with: TODO: CircuitBreaker constructor \(exercise 09\) \(at exercises\/09-circuit-breaker\/circuit-breaker.ts:/);
    expect(stdout).toContain('- CircuitBreaker › [2] opens after failureThreshold consecutive failures');
    expect(stdout).not.toMatch(/^\s+at /m);
    expect(stdout).not.toContain('node_modules');
  }, minutes(2));

  it('shows a failing network check with its seed, its last events and an SVG sequence diagram of the run', async () => {
    // One level below the root, as exercises/ is: its imports of the toolkit (`../../toolkit/netsim`) type-check.
    const copy = path.join(root, `.proof-cli-${process.pid}`);
    const mutant = exercise('02-at-least-once').mutants.find((m) => m.name === 'never-gives-up') as Mutant;
    writeRecipe(root, exercise('02-at-least-once'), mutant.dir, path.join(copy, '02-at-least-once'), (from, to) => fs.cpSync(from, to, { recursive: true }));
    const { code, stdout } = await cli(['grade', '02', '--dir', path.relative(root, copy)]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\s+seed \d+, \d+ events/m);
    expect(stdout).toMatch(/^\s+t=\d+ +\S+ (sends|receives) /m);
    const drawn = /as a sequence diagram: (\S+\.svg) \(mermaid source: (\S+\.mmd)\)/.exec(stdout);
    expect(drawn, stdout).not.toBeNull();
    const [, svg, source] = drawn as RegExpExecArray;
    expect(svg.startsWith(`${path.relative(root, copy)}/02-at-least-once/traces/`), 'in the graded folder, where Jupyter serves it').toBe(true);
    expect(fs.readFileSync(path.join(root, svg), 'utf8')).toMatch(/^<svg[^>]*data-mermaid-source/);
    expect(fs.readFileSync(path.join(root, source), 'utf8')).toMatch(/^sequenceDiagram\n/);
  }, minutes(4));

  it('prints a machine-readable result with --json', async () => {
    const { code, stdout } = await cli(['grade', '08', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as GradeReport;
    expect(report).toMatchObject({ ok: false, passed: 0, points: 0, maxPoints: 10, hiddenChecks: true });
    const [exercise] = report.exercises;
    expect(exercise).toMatchObject({ id: '08-retry-backoff', passed: 0, points: 0, maxPoints: 10, status: 'failed' });
    const retry = counts['08-retry-backoff'];
    expect(exercise.checks).toEqual({ public: { passed: 0, total: retry.public }, hidden: { passed: 0, total: retry.hidden } });
    expect(exercise.total).toBe(exercise.failures.length);
    expect(exercise.failures[0]).toEqual({
      check: 'backoffDelay › [1] doubles the delay from baseDelayMs: 100, 200, 400, 800 ms',
      message: 'TODO: backoffDelay (exercise 08)',
      at: expect.stringMatching(/^exercises\/08-retry-backoff\/retry\.ts:\d+:\d+$/) as string,
      hidden: false,
    });
    expect(exercise.failures.filter((f) => f.hidden)).toHaveLength(counts['08-retry-backoff'].hidden);
  }, minutes(2));

  it('exits 1 with the list of exercises for an unknown exercise, by number or name', async () => {
    for (const unknown of ['42', 'retry']) {
      const { code, stderr } = await cli(['grade', unknown]);
      expect(code, unknown).toBe(1);
      expect(stderr).toContain(`no exercise "${unknown}"; the exercises are: 01-http-messages, 02-at-least-once`);
    }
  }, minutes(1));
});

describe('the loop of one exercise', () => {
  it('grades only the exercise whose folder npm was started in, and says the hint command with its number', async () => {
    const { stdout } = await cli(['grade'], { INIT_CWD: path.join(root, exercise('08-retry-backoff').dir, 'some-folder') });
    expect(stdout).toContain("Grading exercises/08-retry-backoff/ (the folder you are in; from the workbook's root, npm run grade grades every exercise)");
    expect(stdout).toMatch(/^\s+08-retry-backoff\s+07\s/m);
    expect(stdout, 'no other exercise graded').not.toMatch(/^\s+(0[1-79]|1\d)-[a-z-]+\s+\d\d\s/m);
    expect(stdout).toContain('Stuck? `npm run hint -- 08` shows the next hint for exercise 08, for the first README item its checks fail.');
    expect(stdout).not.toContain('NN shows');
  }, minutes(2));

  it('shows first the hint for the README item of the first failing check, then the others in order', async () => {
    const env = { WORKBOOK_HINT_STATE: path.join(scratch, 'hints-by-item.json') };
    const planted = path.join(root, `.proof-hint-${process.pid}`);
    const mutant = exercise('08-retry-backoff').mutants.find((m) => m.name === 'ignores-cause-code') as Mutant;
    writeRecipe(root, exercise('08-retry-backoff'), mutant.dir, path.join(planted, '08-retry-backoff'), (from, to) => fs.cpSync(from, to, { recursive: true }));
    const graded = await cli(['grade', '08', '--dir', path.relative(root, planted)], env);
    expect(graded.stdout).toMatch(/✗ (\[hidden\] )?withRetry › \[9\] /);
    const first = await cli(['hint'], { ...env, INIT_CWD: path.join(root, exercise('08-retry-backoff').dir) });
    expect(first.stdout).toContain('08-retry-backoff, hint 6 of 7 (for item 9 of the README, the first your code fails): a 500 is not a "no"\n');
    const second = await cli(['hint', '08'], env);
    expect(second.stdout).toContain('08-retry-backoff, hint 1 of 7: count attempts, not retries\n');
  }, minutes(2));
});

describe('npm run hint', () => {
  it('shows the next hint each time, remembers where it was, and starts over with --reset', async () => {
    const env = { WORKBOOK_HINT_STATE: path.join(scratch, 'hints.json') };
    const first = await cli(['hint', '08'], env);
    expect(first.stdout).toContain('08-retry-backoff, hint 1 of');
    const second = await cli(['hint', 'retry-backoff'], env);
    expect(second.stdout).toContain('08-retry-backoff, hint 2 of');
    expect(JSON.parse(fs.readFileSync(env.WORKBOOK_HINT_STATE, 'utf8'))).toEqual({ '08-retry-backoff': { shown: [1, 2] } });
    const all = await cli(['hint', '08', '--all'], env);
    expect(all.stdout.match(/08-retry-backoff, hint \d of/g)).toHaveLength(2);
    const reset = await cli(['hint', '08', '--reset'], env);
    expect(reset.stdout).toContain('08-retry-backoff, hint 1 of');
  }, minutes(1));
});
