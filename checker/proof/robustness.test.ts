/**
 * The grader survives the code it grades. Each planted bad submission in checker/proof/fixtures is
 * graded next to reference solutions of other exercises: the bad one gets a clear message and no
 * points, and the others are still graded. These are the defences of `npm run grade` itself, with
 * no sandbox: the gradebook's sandbox is proven in gradebook.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { grade, type GradeReport } from '../grade/grade';
import { readReport } from '../grade/run-checks';
import { minutes, plantFixture, removePlantedFixtures, resultOf } from './test-support';

afterAll(removePlantedFixtures);

/**
 * Grades the reference solutions of `ids`, with the planted submissions of `fixtures` instead of
 * theirs. Whatever the submissions did, no message names a module the way vite does.
 */
async function gradeWith(ids: string[], fixtures: Record<string, string>, options: { timeLimitMs?: number; isolate?: 'process' } = {}): Promise<GradeReport> {
  const submissions = Object.fromEntries(Object.entries(fixtures).map(([id, name]) => [id, plantFixture(name, id)]));
  const report = await grade({ exercises: ids, dir: LAYOUT.solutions, submissions, ...options });
  expect(JSON.stringify(report)).not.toContain('__vite_ssr_');
  return report;
}

/** The processes whose command line carries `marker` (a planted submission's lingering process). */
function processesMarked(marker: string): string[] {
  return fs.readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  });
}

/** Where a planted submission's file was graded, as messages name it. */
const plantedAt = (report: GradeReport, id: string) => resultOf(report, id).submission;

/** The exercises graded from solutions/ next to the fixtures must come out untouched. */
function expectGraded(report: GradeReport, ids: string[]): void {
  for (const id of ids) {
    const result = resultOf(report, id);
    expect(result.status, `${id} (a reference solution) should still be graded`).toBe('passed');
    expect(result.points, id).toBe(result.maxPoints);
  }
}

describe('the grader against planted bad submissions', () => {
  it('ends endless loops (sync, microtask, yielding) as "timed out after N s" and grades the others', async () => {
    const loops = { '08-retry-backoff': 'sync-loop', '09-circuit-breaker': 'microtask-loop', '01-http-messages': 'yielding-loop' };
    const report = await gradeWith(['01', '08', '03', '07', '09'], loops, { timeLimitMs: 4000 });
    for (const id of Object.keys(loops)) {
      const result = resultOf(report, id);
      expect(result.status, id).toBe('timed-out');
      expect(result.problems.join('\n'), id).toMatch(/^timed out after 4 s in the (hidden )?check "[^"]+": .*\(the other exercises were graded\)$/m);
      expect(result.points, id).toBe(0);
      expect(result.total, `${id}: the checks were counted from the clean files`).toBeGreaterThan(0);
    }
    expectGraded(report, ['03-exactly-once', '07-pub-sub']);
    expect(report.ok).toBe(false);
  }, minutes(3));

  it('names the file for a throw at import, a syntax error and a type error; refuses exits and extra tests', async () => {
    const report = await gradeWith(['02', '03', '05', '06', '07', '08'], {
      '05-work-queue': 'throws-at-import',
      '08-retry-backoff': 'extra-tests',
      '03-exactly-once': 'syntax-error',
      '06-request-reply': 'type-error',
      '07-pub-sub': 'exits-early',
    });

    const throws = resultOf(report, '05-work-queue');
    expect(throws.passed).toBe(0);
    expect(throws.failures.every((f) => f.message === 'settings.workers is missing')).toBe(true);
    expect(throws.failures[0].at).toMatch(new RegExp(`^${plantedAt(report, '05-work-queue')}/work-queue\\.ts:\\d+:\\d+$`));

    const syntax = resultOf(report, '03-exactly-once');
    expect(syntax.passed).toBe(0);
    expect(syntax.problems[0]).toMatch(/^fix the syntax errors first: checks not run/);
    expect(syntax.problems.join('\n')).toContain(`${plantedAt(report, '03-exactly-once')}/idempotent-consumer.ts:8:`);
    expect(syntax.failures, 'no check results for code that does not parse').toEqual([]);

    const typeError = resultOf(report, '06-request-reply');
    expect(typeError.problems[0]).toMatch(/^fix the type errors first: checks not run/);
    expect(typeError.failures, 'no check results for code that does not type-check').toEqual([]);
    expect(typeError.problems[0]).toContain(`${plantedAt(report, '06-request-reply')}/request-reply.ts:14:5 TS2322`);
    expect(typeError.points).toBe(0);

    const exits = resultOf(report, '07-pub-sub');
    expect(exits.passed, 'process.exit(0) must not read as a pass').toBe(0);
    expect(exits.points).toBe(0);

    const extra = resultOf(report, '08-retry-backoff');
    expect(extra.passed, 'the extra test file and vitest config must be ignored').toBe(0);
    expect(extra.failures.map((f) => f.check)).toContain('withRetry › [3] retries a failed call after 100 ms, then 200 ms, and returns the first success');
    expect(extra.failures.length).toBe(extra.total);

    expectGraded(report, ['02-at-least-once']);
  }, minutes(3));

  it('refuses code that reaches for the solutions or the test framework, before any of it runs', async () => {
    const report = await gradeWith(['01', '02', '03', '05', '06', '07', '08', '09'], {
      '08-retry-backoff': 'reexports-solution',
      '09-circuit-breaker': 'vitest-by-path',
      '07-pub-sub': 'create-require',
      '05-work-queue': 'computed-import',
      '06-request-reply': 'global-expect',
      '03-exactly-once': 'ts-ignore',
      '01-http-messages': 'imports-toolkit',
    });
    const refusedImport = (target: string) => `(${target}), which code under test may not import. It may import: Node's built-in modules`;
    for (const [id, file, rule] of [
      ['08-retry-backoff', 'retry.ts:6:15', refusedImport(`${LAYOUT.solutions}/08-retry-backoff/retry.ts`)],
      ['09-circuit-breaker', 'circuit-breaker.ts:5:30', refusedImport('node_modules/vitest/dist/index.js')],
      ['01-http-messages', 'server.ts:36:36', refusedImport('toolkit/http.ts')],
      ['07-pub-sub', 'broker.ts:5:31', refusedImport('node:module')],
      ['07-pub-sub', 'broker.ts:7:14', 'createRequire() is not allowed: use import, because the grader needs to see what your code loads'],
      ['05-work-queue', 'work-queue.ts:6:6', "import() of a computed name is not allowed: write the module's name as a string"],
      ['06-request-reply', 'request-reply.ts:5:97', 'Symbol.for() is not allowed'],
      ['03-exactly-once', 'idempotent-consumer.ts:9:5', '// @ts-ignore is not allowed: it hides type errors'],
    ]) {
      const result = resultOf(report, id);
      expect(result.status, id).toBe('error');
      expect(result.points, id).toBe(0);
      expect(result.failures, `${id} never ran`).toEqual([]);
      expect(result.total, `${id}: its checks still count`).toBeGreaterThan(0);
      expect(result.problems[0], id).toMatch(/^refused, not run/);
      expect(result.problems[0], id).toContain(`${plantedAt(report, id)}/${file} `);
      expect(result.problems[0], id).toContain(rule);
    }
    expectGraded(report, ['02-at-least-once']);
  }, minutes(3));

  it('refuses reflection by a computed name, process.binding written as a literal and process.getBuiltinModule, before any of it runs', async () => {
    const report = await gradeWith(['05', '06', '07', '08', '09', '02'], {
      '09-circuit-breaker': 'computed-symbols',
      '08-retry-backoff': 'computed-own-keys',
      '07-pub-sub': 'literal-binding',
      '05-work-queue': 'builtin-module',
      '06-request-reply': 'destructured-builtin',
    });
    for (const [id, file, rule] of [
      ['09-circuit-breaker', 'circuit-breaker.ts:7:19', "Object[...] with a computed name is not allowed: write the property's name"],
      ['08-retry-backoff', 'retry.ts:6:17', "Reflect[...] with a computed name is not allowed: write the property's name"],
      ['07-pub-sub', 'broker.ts:5:19', 'process.binding() is not allowed'],
      ['05-work-queue', 'work-queue.ts:7:19', 'process.getBuiltinModule() is not allowed: import the module'],
      ['06-request-reply', 'request-reply.ts:5:9', 'process.getBuiltinModule() is not allowed: import the module'],
    ]) {
      const result = resultOf(report, id);
      expect(result.status, id).toBe('error');
      expect(result.points, id).toBe(0);
      expect(result.failures, `${id} never ran`).toEqual([]);
      expect(result.problems[0], id).toMatch(/^refused, not run/);
      expect(result.problems[0], id).toContain(`${plantedAt(report, id)}/${file} `);
      expect(result.problems[0], id).toContain(rule);
    }
    expect(processesMarked('workbook-builtin-marker'), 'the refused code started no process').toEqual([]);
    expectGraded(report, ['02-at-least-once']);
  }, minutes(3));

  it('catches a hook that flips every failed check but those that look like canaries, and seals process.getBuiltinModule at run time', async () => {
    const report = await gradeWith(['09', '08', '07'], { '09-circuit-breaker': 'flips-all-but-canaries', '08-retry-backoff': 'builtin-module-aliased' });
    const flipper = resultOf(report, '09-circuit-breaker');
    expect(flipper.points).toBe(0);
    expect(flipper.status).toBe('error');
    expect(flipper.problems).toContain('the results of this run were tampered with: a check that must fail passed');

    const aliased = resultOf(report, '08-retry-backoff');
    expect(aliased.points).toBe(0);
    expect(aliased.passed).toBe(0);
    expect(aliased.failures[0].message).toContain("process.getBuiltinModule('node:child_process') is not allowed");
    expect(processesMarked('workbook-aliased-marker'), 'no process was started').toEqual([]);
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  // Code that reaches the test framework inside the process that runs the checks can tell a canary
  // by its error's stack and flip every other failure: where the code shares the checks' process
  // (`npm run grade`, the student's own copy) the untouched starter then gets full marks. The final
  // grade runs the code in a process of its own (checker/isolate/), where the hook reaches nothing.
  it('is forged by a hook that flips every failed check but the canaries, only where the code shares the checks\' process', async () => {
    // 12 too: the last exercise to run in the checks' process in the final grade, for its 300,000 calls.
    for (const [id, starterSays] of [['09-circuit-breaker', /TODO: CircuitBreaker constructor/], ['12-bounded-queue', /TODO: BoundedQueue constructor/]] as const) {
      const shared = resultOf(await gradeWith([id], { [id]: 'spares-canary-failures' }), id);
      expect(shared.points, `${id}: the forge in the checks' process (the self-grade) still works: the threat model says so`).toBe(shared.maxPoints);
      const own = resultOf(await gradeWith([id], { [id]: 'spares-canary-failures' }, { isolate: 'process' }), id);
      expect(own.points, `${id}: the hook reached the checks from a process of its own`).toBe(0);
      expect(own.failures.length).toBeGreaterThan(20);
      expect(own.failures[0]?.message).toMatch(starterSays);
    }
  }, minutes(6));

  it('refuses, where an import is resolved, what no rule could see in the text: a link to the solution', async () => {
    const report = await gradeWith(['08', '07'], { '08-retry-backoff': 'symlinks-solution' });
    const linked = resultOf(report, '08-retry-backoff');
    expect(linked.passed).toBe(0);
    expect(linked.points).toBe(0);
    expect(linked.problems.join('\n')).toMatch(/retry(\.ts)? is solutions\/08-retry-backoff\/retry\.ts, outside the folder graded for 08-retry-backoff: a symbolic link\?/);
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  it('gives no points when the results were tampered with or checks did not run, and keeps the canaries secret', async () => {
    const report = await gradeWith(['02', '07', '08', '09'], {
      '09-circuit-breaker': 'patches-expect',
      '07-pub-sub': 'kills-hidden-checks',
      '02-at-least-once': 'reads-canary-secret',
    });
    const patched = resultOf(report, '09-circuit-breaker');
    expect(patched.points).toBe(0);
    expect(patched.problems).toContain('the results of this run were tampered with: a check that must fail passed');

    const killer = resultOf(report, '07-pub-sub');
    expect(killer.checks.public.passed, 'the public checks pass: it is the reference solution').toBe(killer.checks.public.total);
    expect(killer.points).toBe(0);
    expect(killer.problems.join('\n')).toMatch(/hidden checks? did not run/);

    const reader = resultOf(report, '02-at-least-once');
    expect(reader.failures[0].message).toBe('the canary secret, as seen by the code under test: nothing');
    expectGraded(report, ['08-retry-backoff']);
  }, minutes(3));

  it('says what a handler threw where nothing caught it, with its place, not that the checks timed out', async () => {
    const report = await gradeWith(['01', '07'], { '01-http-messages': 'throws-in-handler' });
    const thrower = resultOf(report, '01-http-messages');
    expect(thrower.status).toBe('failed');
    const failure = thrower.failures.find((f) => f.check.includes('[1] answers POST /message with 200'));
    expect(failure?.message).toMatch(/^your code threw an error that nothing caught: TypeError: Cannot read properties of undefined/);
    expect(failure?.at).toMatch(new RegExp(`^${plantedAt(report, '01-http-messages')}/server\\.ts:\\d+:\\d+$`));
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  it('fails the check that was running on a rejection nobody handled, in the code\'s own process too', async () => {
    for (const isolate of [undefined, 'process'] as const) {
      const lost = resultOf(await gradeWith(['01'], { '01-http-messages': 'loses-a-rejection' }, isolate ? { isolate } : {}), '01-http-messages');
      expect(lost.points, `isolate: ${String(isolate)}`).toBeLessThan(lost.maxPoints);
      expect(lost.failures[0]?.message).toBe('your code threw an error that nothing caught: RangeError: a promise nobody awaited');
    }
  }, minutes(4));

  it('says which export is missing, and which there are, before any check runs', async () => {
    const report = await gradeWith(['01', '07'], { '01-http-messages': 'misnamed-export' });
    const misnamed = resultOf(report, '01-http-messages');
    expect(misnamed).toMatchObject({ status: 'error', points: 0, failures: [] });
    expect(misnamed.problems).toEqual(['not run: server.ts does not export `createMessageServer` (it exports: `MAX_BODY_BYTES`, `createServer`)']);
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  it('cuts a console flood short and says so, instead of timing out', async () => {
    const report = await gradeWith(['07', '09'], { '07-pub-sub': 'console-flood' });
    const flood = resultOf(report, '07-pub-sub');
    expect(flood.status, 'the reference solution under all that output still passes').toBe('passed');
    expect(flood.notes).toEqual(['your code printed 200000 lines to the console while the checks ran (a forgotten debugging print?); the checks dropped all but the first 500']);
    expectGraded(report, ['09-circuit-breaker']);
  }, minutes(3));

  it('does not let a forged report or exit code 0 turn into a pass', async () => {
    const report = await gradeWith(['02', '07'], { '02-at-least-once': 'fake-report' });
    const forged = resultOf(report, '02-at-least-once');
    expect(forged.passed).toBe(0);
    expect(forged.points).toBe(0);
    expect(forged.status).not.toBe('passed');
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  it('trusts a report file only if it is the one the reporter says it wrote', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, JSON.stringify({ testResults: [] }));
    const digest = 'e3f6d9b1a8b8e7b5b5e5f9a5f0d0c7a1b0f2c6d9e8a7b6c5d4e3f2a1b0c9d8e7'; // not the digest of the file
    const problems: string[] = [];
    expect(readReport(file, digest, '', (p) => problems.push(p))).toBeUndefined();
    expect(problems).toEqual(['the report file was changed after vitest wrote it, so it is not trusted']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
