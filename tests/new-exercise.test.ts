// `npm run new:exercise` and `npm run check:exercise` on a throwaway copy of the workbook: the
// scaffold of a new exercise passes every proof of check:exercise as it is, and a broken record
// is refused with the file and the field.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoot, LAYOUT, loadExercises } from '../tooling/course';

const root = findRoot(__dirname);
const copy = path.join(root, LAYOUT.cache, 'test', `scaffold-${process.pid}`);
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = (script: string, args: string[]) => spawnSync(process.execPath, [tsx, path.join(copy, LAYOUT.scripts, script), ...args], { cwd: copy, encoding: 'utf8' });

beforeAll(() => {
  // The files git tracks, and the packages through a link (a copy inside the root would also find them by walking up).
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked.filter((f) => fs.existsSync(path.join(root, f)))) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('npm run new:exercise', () => {
  it('refuses a number that is taken, an unknown lesson and a slug that is not kebab-case, saying why', () => {
    expect(run('new-exercise.ts', ['09', 'again', '--lesson', '07']).stderr).toContain('exercise 09 exists already: 09-circuit-breaker');
    expect(run('new-exercise.ts', ['90', 'tally', '--lesson', '77']).stderr).toContain('no lesson "77"');
    expect(run('new-exercise.ts', ['90', 'Tally_Up', '--lesson', '03']).stderr).toContain('kebab-case');
  });

  it('scaffolds both folders, and check:exercise passes on the scaffold as it is', () => {
    const made = run('new-exercise.ts', ['90', 'tally', '--lesson', '03', '--title', 'A tally']);
    expect(made.status, made.stderr).toBe(0);
    const exercise = loadExercises(copy).find((e) => e.id === '90-tally');
    expect(exercise, 'the manifest finds the new exercise').toBeDefined();
    for (const file of [exercise!.record, exercise!.readme, exercise!.checks, exercise!.harness, exercise!.hiddenChecks, exercise!.instructorRecord, path.join(exercise!.dir, 'tally.ts'), path.join(exercise!.solutionDir, 'tally.ts')]) {
      expect(fs.existsSync(path.join(copy, file)), file).toBe(true);
    }
    expect(exercise!.mutants.map((m) => m.name)).toEqual(['returns-the-first']);

    const checked = run('check-exercise.ts', ['90']);
    expect(checked.stdout).toMatch(/\n5 passed, 0 failed/);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
  }, 240_000);

  it('check:exercise fails on a record it cannot read, naming the file and the field', () => {
    const instructor = path.join(LAYOUT.solutions, '90-tally', 'instructor.json');
    fs.writeFileSync(path.join(copy, instructor), JSON.stringify({ mutants: [{ name: 'Not Kebab', caughtBy: 'x' }] }));
    const checked = run('check-exercise.ts', ['90']);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('✗ records valid');
    expect(checked.stdout).toContain(`${instructor} is not a valid instructor record`);
    expect(checked.stdout).toContain('mutants.0.name');
  });
});
