/**
 * The grader survives the code it grades. Each planted bad submission in checker/proof/fixtures is
 * graded next to reference solutions of other exercises: the bad one gets a clear message and no
 * points, and the others are still graded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { toPosix } from '../../tooling/system';
import { grade, type GradeReport } from '../grade/grade';
import { readReport } from '../grade/run-checks';
import { minutes, resultOf, root } from './test-support';

const fixture = (name: string, id: string) => toPosix(path.join(LAYOUT.fixtures, name, id));

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
    const report = await grade({
      exercises: ['01', '08', '03', '07', '09'],
      dir: LAYOUT.solutions,
      submissions: {
        '08-retry-backoff': fixture('sync-loop', '08-retry-backoff'),
        '09-circuit-breaker': fixture('microtask-loop', '09-circuit-breaker'),
        '01-http-messages': fixture('yielding-loop', '01-http-messages'),
      },
      timeLimitMs: 4000,
    });
    for (const id of ['08-retry-backoff', '09-circuit-breaker', '01-http-messages']) {
      const result = resultOf(report, id);
      expect(result.status, id).toBe('timed-out');
      expect(result.problems.join('\n'), id).toMatch(/^timed out after 4 s/);
      expect(result.points, id).toBe(0);
      expect(result.total, `${id}: the checks were counted before the loop started`).toBeGreaterThan(0);
    }
    expectGraded(report, ['03-exactly-once', '07-pub-sub']);
    expect(report.ok).toBe(false);
  }, minutes(3));

  it('names the file for a throw at import, a syntax error and a type error; refuses exits, vitest and ready-made toolkit imports, and extra tests', async () => {
    const report = await grade({
      exercises: ['01', '02', '03', '05', '06', '07', '08', '09'],
      dir: LAYOUT.solutions,
      submissions: {
        '01-http-messages': fixture('imports-toolkit', '01-http-messages'),
        '05-work-queue': fixture('throws-at-import', '05-work-queue'),
        '08-retry-backoff': fixture('extra-tests', '08-retry-backoff'),
        '03-exactly-once': fixture('syntax-error', '03-exactly-once'),
        '06-request-reply': fixture('type-error', '06-request-reply'),
        '07-pub-sub': fixture('exits-early', '07-pub-sub'),
        '09-circuit-breaker': fixture('imports-vitest', '09-circuit-breaker'),
      },
    });

    const throws = resultOf(report, '05-work-queue');
    expect(throws.passed).toBe(0);
    expect(throws.failures.every((f) => f.message === 'settings.workers is missing')).toBe(true);
    expect(throws.failures[0].at).toMatch(/^checker\/proof\/fixtures\/throws-at-import\/05-work-queue\/work-queue\.ts:\d+:\d+$/);

    const syntax = resultOf(report, '03-exactly-once');
    expect(syntax.passed).toBe(0);
    expect(syntax.problems.join('\n')).toContain(`${fixture('syntax-error', '03-exactly-once')}/idempotent-consumer.ts:8:`);
    expect(syntax.failures[0].message).toMatch(/^syntax error: .*\(at checker\/proof\/fixtures\/syntax-error\/03-exactly-once\/idempotent-consumer\.ts:8:\d+\)$/);

    const typeError = resultOf(report, '06-request-reply');
    expect(typeError.problems[0]).toMatch(/^does not type-check/);
    expect(typeError.problems[0]).toContain(`${fixture('type-error', '06-request-reply')}/request-reply.ts:14:5 TS2322`);
    expect(typeError.points).toBe(0);

    const exits = resultOf(report, '07-pub-sub');
    expect(exits.passed, 'process.exit(0) must not read as a pass').toBe(0);
    // Vitest turns process.exit into an error; reallyExit ends the worker, and the checks it cut
    // short (with any results not yet sent) never finish.
    expect(exits.failures.length).toBe(exits.total);
    for (const failure of exits.failures) expect(failure.message).toMatch(/^(process\.exit unexpectedly called with "0"|never finished)/);

    const flips = resultOf(report, '09-circuit-breaker');
    expect(flips.passed, 'a submission that rewrites its results must not pass').toBe(0);
    expect(flips.failures[0].message).toContain('imports "vitest": code under test may not use the test framework');

    const extra = resultOf(report, '08-retry-backoff');
    expect(extra.passed, 'the extra test file and vitest config must be ignored').toBe(0);
    expect(extra.failures.map((f) => f.check)).toContain('withRetry › retries a failed call after 100 ms, then 200 ms, and returns the first success');
    expect(extra.failures.length).toBe(extra.total);

    const borrowed = resultOf(report, '01-http-messages');
    expect(borrowed.passed, 'importing the lessons’ ready-made server must not pass').toBe(0);
    expect(borrowed.failures[0].message).toContain('the lessons\' ready-made toolkit/http and toolkit/queue are off limits');

    expectGraded(report, ['02-at-least-once']);
  }, minutes(3));

  it('does not let a forged report or exit code 0 turn into a pass', async () => {
    const report = await grade({
      exercises: ['02', '07'],
      dir: LAYOUT.solutions,
      submissions: { '02-at-least-once': fixture('fake-report', '02-at-least-once') },
    });
    const forged = resultOf(report, '02-at-least-once');
    expect(forged.passed).toBe(0);
    expect(forged.points).toBe(0);
    expect(forged.status).not.toBe('passed');
    expectGraded(report, ['07-pub-sub']);
  }, minutes(3));

  it('trusts a report file only if it is the one the reporter says it wrote', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const file = path.join(dir, 'report.json');
    const real = JSON.stringify({ testResults: [] });
    fs.writeFileSync(file, real);
    const digest = 'e3f6d9b1a8b8e7b5b5e5f9a5f0d0c7a1b0f2c6d9e8a7b6c5d4e3f2a1b0c9d8e7'; // not the digest of `real`
    const problems: string[] = [];
    expect(readReport(file, digest, '', (p) => problems.push(p))).toBeUndefined();
    expect(problems).toEqual(['the report file was changed after vitest wrote it, so it is not trusted']);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(root).toBeTruthy();
  });
});
