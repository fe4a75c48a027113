/**
 * Every mutant (a plausible wrong implementation, see mutation.ts) is caught: the check its
 * exercise's record names fails on it, while the mutant still type-checks.
 *
 * Mutants are graded in rounds: round k grades the k-th mutant of every exercise at once, in one
 * grading run, next to the reference solutions (exercise 03's checks use exercise 02's solution).
 * Each mutant is graded with the one check that must catch it (the others would only add failures
 * nobody looks at, and take most of the time), among canaries as always.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT, type Mutant } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { checkTitles, fullTitle } from '../grade/check-titles';
import { grade } from '../grade/grade';
import { childEnv } from '../grade/run-checks';
import { materialize } from './mutation';
import { EXERCISES, exercise, minutes, resultOf, root, scratchDir } from './test-support';

const workDir = scratchDir('mutants');
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The full titles of the public checks, as the grader lists them. */
let publicChecks = new Set<string>();
beforeAll(async () => {
  const titles = await checkTitles(root, EXERCISES.map((id) => toPosix(exercise(id).checks)), childEnv());
  publicChecks = new Set([...titles.values()].flat());
});
function caughtByPublicCheck(mutant: Mutant): boolean {
  const names = mutant.caughtBy.split(' › ');
  return publicChecks.has(fullTitle(names.slice(0, -1), names[names.length - 1]));
}

/** Round k: the k-th mutant of each exercise that has one. */
function rounds(): { id: string; mutant: Mutant }[][] {
  const result: { id: string; mutant: Mutant }[][] = [];
  for (const id of EXERCISES) exercise(id).mutants.forEach((mutant, k) => (result[k] ??= []).push({ id, mutant }));
  return result;
}

describe('mutants', () => {
  it('has at least four per exercise, each a folder named in its record with the check that catches it', () => {
    for (const id of EXERCISES) {
      const { mutants, mutantsDir } = exercise(id);
      const folders = fs.existsSync(path.join(root, mutantsDir)) ? fs.readdirSync(path.join(root, mutantsDir)).sort() : [];
      expect(folders, mutantsDir).toEqual(mutants.map((m) => m.name).sort());
      expect(folders.length, id).toBeGreaterThanOrEqual(4);
    }
  });

  it.each(rounds().map((round, k) => [k + 1, round] as const))(
    'round %i: each mutant type-checks and is caught by its check',
    async (_k, round) => {
      const submissions: Record<string, string> = {};
      for (const { id, mutant } of round) submissions[id] = materialize(root, exercise(id), mutant, workDir);
      const hidden = round.filter(({ mutant }) => !caughtByPublicCheck(mutant)).map((m) => m.id);
      const onlyChecks = round.map(({ mutant }) => mutant.caughtBy);
      const report = await grade({ exercises: round.map((m) => m.id), dir: LAYOUT.solutions, submissions, hidden, onlyChecks });
      for (const { id, mutant } of round) {
        const result = resultOf(report, id);
        const name = `${id}/${mutant.name}`;
        expect(result.problems, `${name} should type-check and run`).toEqual([]);
        expect(result.status, `${name} should not pass`).toBe('failed');
        const failed = result.failures.map((f) => f.check);
        expect(failed, `${name} should be caught by "${mutant.caughtBy}"`).toContain(mutant.caughtBy);
      }
    },
    minutes(3),
  );
});
