/**
 * The network checks (exercises 04-06, netsim in virtual time), public and hidden, give the same
 * result every time.
 *
 * One vitest process runs every check of those exercises 10 times (vitest's `repeats`, switched
 * on by CHECKS_REPEATS, see repeat-setup.ts) against a mutant of each exercise. Vitest keeps the
 * error of every failed repetition, so a check is stable when it has no error at all (passed 10
 * times) or exactly one per repetition (failed 10 times). The reference solutions are run 10 times
 * in grade.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { materialize } from './mutation';
import { runChecks } from './run-checks';
import { minutes, root, scratchDir } from './test-support';

const REPETITIONS = 10;
const MUTANTS: Record<string, string> = {
  '04-at-least-once': 'acks-first-copy-only',
  '05-exactly-once': 'evicts-newest',
  '06-request-reply': 'matches-oldest-first',
};

const workDir = scratchDir('stability');
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('the network checks', () => {
  it('pass or fail the same way in each of 10 runs, on a mutant of each network exercise', async () => {
    const submissions = Object.fromEntries(
      Object.entries(MUTANTS).map(([id, mutant]) => [id, materialize(root, id, path.join(root, 'checker', 'mutants', id, mutant), workDir).dir]),
    );
    const outcomes = await runChecks({
      root,
      submissions,
      defaultDir: 'solutions',
      checkFiles: Object.fromEntries(
        Object.keys(MUTANTS).flatMap((id) => [
          [id, `checker/checks/${id}.test.ts`],
          [`${id}:hidden`, `checker/hidden/${id}.test.ts`],
        ]),
      ),
      timeLimitMs: minutes(1),
      repeats: REPETITIONS - 1,
    });
    for (const id of Object.keys(MUTANTS)) {
      const checks = [id, `${id}:hidden`].flatMap((key) => {
        const outcome = outcomes.get(key);
        if (outcome?.kind !== 'report') throw new Error(`${key}: no report (${JSON.stringify(outcome)})`);
        return outcome.result.assertionResults;
      });
      const unstable = checks
        .filter((c) => ![0, REPETITIONS].includes(c.failureMessages.length))
        .map((c) => `${c.title}: failed ${c.failureMessages.length} of ${REPETITIONS} times`);
      expect(unstable, id).toEqual([]);
      expect(checks.some((c) => c.failureMessages.length === REPETITIONS), `${id}: the mutant is caught every time`).toBe(true);
      expect(checks.some((c) => c.status === 'passed'), `${id}: the other checks pass every time`).toBe(true);
    }
  }, minutes(3));
});
