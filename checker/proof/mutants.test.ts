/**
 * Every mutant (a plausible wrong implementation, see mutation.ts) is caught: the check its
 * exercise's record names fails on it, while the mutant still type-checks.
 *
 * Mutants are graded in rounds: round k grades the k-th mutant of every exercise at once, next to
 * the reference solutions (exercise 03's checks use exercise 02's solution).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT, type Mutant } from '../../tooling/course';
import { grade, type GradeReport } from '../grade/grade';
import { materialize } from './mutation';
import { EXERCISES, exercise, minutes, resultOf, root, scratchDir } from './test-support';

const workDir = scratchDir('mutants');
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

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
      const report: GradeReport = await grade({ exercises: round.map((m) => m.id), dir: LAYOUT.solutions, submissions });
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
