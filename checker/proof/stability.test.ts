/**
 * The network checks (every exercise whose checks run on netsim, in virtual time), public and
 * hidden, give the same result every time.
 *
 * One vitest process runs every check of those exercises 10 times (vitest's `repeats`, switched
 * on by the repeats setting, see checks-env.ts and repeat-setup.ts) against the first mutant of each exercise. Vitest
 * keeps the error of every failed repetition, so a check is stable when it has no error at all
 * (passed 10 times) or exactly one per repetition (failed 10 times). The reference solutions are
 * run 10 times in grade.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { runChecks } from '../grade/run-checks';
import { materialize } from './mutation';
import { EXERCISES, exercise, minutes, root, scratchDir } from './test-support';

const REPETITIONS = 10;

/** Exercises whose checks build a netsim network. */
const NETWORK_EXERCISES = EXERCISES.map(exercise).filter((e) =>
  [e.checks, e.hiddenChecks, e.harness].some((file) => fs.existsSync(path.join(root, file)) && /new Network\(/.test(fs.readFileSync(path.join(root, file), 'utf8'))),
);

const workDir = scratchDir('stability');
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('the network checks', () => {
  it('exist', () => expect(NETWORK_EXERCISES.length).toBeGreaterThanOrEqual(3));

  it('pass or fail the same way in each of 10 runs, on a mutant of each network exercise', async () => {
    const submissions = Object.fromEntries(NETWORK_EXERCISES.map((e) => [e.id, materialize(root, e, e.mutants[0], workDir)]));
    const outcomes = await runChecks({
      root,
      submissions,
      defaultDir: LAYOUT.solutions,
      checkFiles: Object.fromEntries(NETWORK_EXERCISES.flatMap((e) => [[e.id, toPosix(e.checks)], [`${e.id}:hidden`, toPosix(e.hiddenChecks)]])),
      timeLimitMs: minutes(1),
      repeats: REPETITIONS - 1,
    });
    for (const { id } of NETWORK_EXERCISES) {
      const checks = [id, `${id}:hidden`].flatMap((key) => {
        const outcome = outcomes.get(key);
        if (outcome?.kind !== 'report') throw new Error(`${key}: no report (${JSON.stringify(outcome)})`);
        // The canaries (checker/shared/canary.ts), which fail every time on purpose, are not in the report.
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
