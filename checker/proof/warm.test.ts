/**
 * A warm re-grade (`--watch`, the notebook's grade(): the warm vitest of run-checks.ts, the warm
 * type-checker of type-check.ts) grades exactly as a cold one, after every edit; and a hang in a
 * warm run still ends as "timed out", the next re-grade working.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { grade, type GradeOptions } from '../grade/grade';
import { writeRecipe } from './mutation';
import { exercise, minutes, plantFixture, removePlantedFixtures, resultOf, root } from './test-support';

const ID = '08-retry-backoff';

afterAll(removePlantedFixtures);

/** Puts the recipe (a mutant's or a fixture's folder, or the solution's) in place of the code in `dir`. */
function rewrite(dir: string, recipe: string): void {
  writeRecipe(root, exercise(ID), recipe, dir, (from, to) => fs.cpSync(from, to, { recursive: true }));
}

/** Grades `dir` as exercise 08, after an edit (a new comment at the end: the type-check cache cannot answer). */
function gradeAfterEdit(dir: string, options: GradeOptions) {
  fs.appendFileSync(path.join(dir, 'retry.ts'), `\n// saved at ${performance.now()}\n`);
  return grade({ root, exercises: [ID], submissions: { [ID]: dir }, ...options });
}

describe('a warm re-grade', () => {
  it('grades a type error, a syntax error, a wrong solution and a right one exactly as a cold grading', async () => {
    const dir = plantFixture('type-error-chain', ID);
    const steps: Record<string, () => void> = {
      'a type error': () => rewrite(dir, path.join(LAYOUT.fixtures, 'type-error-chain', ID)),
      'a syntax error': () => fs.appendFileSync(path.join(dir, 'retry.ts'), '\nexport const broken = ;\n'),
      'a mutant': () => rewrite(dir, path.join(exercise(ID).solutionDir, 'mutants', 'one-attempt-too-many')),
      'the solution': () => rewrite(dir, exercise(ID).solutionDir),
    };
    const seen: string[] = [];
    for (const [step, make] of Object.entries(steps)) {
      make();
      const warm = await gradeAfterEdit(dir, { warm: true });
      const cold = await gradeAfterEdit(dir, {});
      expect(warm, step).toEqual(cold);
      const result = resultOf(warm, ID);
      seen.push(`${result.status}: ${result.problems.length > 0 ? result.problems[0].split('\n')[0] : `${result.failures.length} failures`}`);
    }
    // One warm vitest and type-checker served all four, and saw every edit (the syntax error hides the type error, as in tsc).
    expect(seen).toEqual([
      expect.stringMatching(/^failed: fix the type errors first/),
      expect.stringMatching(/^failed: fix the syntax errors first/),
      expect.stringMatching(/^failed: [1-9]\d* failures$/),
      'passed: 0 failures',
    ]);
  }, minutes(3));

  it('ends a hang in a warm run as "timed out", and the next re-grade works', async () => {
    const dir = plantFixture('sync-loop', ID);
    const hung = resultOf(await gradeAfterEdit(dir, { warm: true, timeLimitMs: 3000 }), ID);
    expect(hung.status).toBe('timed-out');
    expect(hung.problems.join('\n')).toMatch(/^timed out after 3 s in the (hidden )?check "[^"]+"/m);
    rewrite(dir, exercise(ID).solutionDir);
    expect(resultOf(await gradeAfterEdit(dir, { warm: true, timeLimitMs: 3000 }), ID).status).toBe('passed');
  }, minutes(3));
});
