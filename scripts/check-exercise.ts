/**
 * `npm run check:exercise -- NN`: an author's inner loop for one exercise (like `rustlings dev
 * check`). In order, stopping at nothing, it proves that:
 * 1. its record and instructor record are valid (the manifest reads them);
 * 2. its folders pass the exercise proofs (checker/proof/exercises.test.ts for this exercise: README
 *    sections and numbered items each with a check, hints, starters that only throw TODO, exports,
 *    self-contained check files, no solution line in what students get);
 * 3. the reference solution passes every public and hidden check;
 * 4. the untouched starter scores 0;
 * 5. every mutant in its instructor record is caught by the check named there.
 * It prints one line per proof and exits 1 when one fails. The whole suite (`npm test`) proves the
 * same for every exercise, and more (10 repetitions, the gradebook, the release).
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findExercise, findRoot, LAYOUT, loadExercises, ManifestError, type Exercise } from '../tooling/course';
import { grade, type ExerciseResult, type GradeReport } from '../checker/grade/grade';
import { materialize } from '../checker/proof/mutation';

interface Proof {
  what: string;
  ok: boolean;
  /** Why it failed, or a detail worth showing. */
  detail?: string;
}

const resultOf = (report: GradeReport, id: string): ExerciseResult | undefined => report.exercises.find((r) => r.id === id);
const firstFailures = (result: ExerciseResult | undefined) =>
  result ? [...result.problems, ...result.failures.map((f) => `${f.check}: ${f.message.split('\n')[0]}`)].slice(0, 3).join('; ') : 'no result';

/** The exercise proofs of exercises.test.ts, for this exercise only. */
function folderProofs(root: string, exercise: Exercise): Proof {
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', path.join(root, LAYOUT.proof, 'vitest.one-exercise.mts')], {
    cwd: root,
    env: { ...process.env, PROOF_EXERCISES: exercise.id },
    encoding: 'utf8',
  });
  const failed = (run.stdout + run.stderr).split('\n').filter((line) => /^\s*(×|✗|FAIL)\s/.test(line)).map((line) => line.trim());
  return { what: 'README, record, starters and check files (checker/proof/exercises.test.ts)', ok: run.status === 0, detail: run.status === 0 ? undefined : failed.slice(0, 6).join('\n      ') || (run.stdout + run.stderr).slice(-800) };
}

/** The folders the exercises it `uses` are graded from: their solutions. */
const usedSolutions = (exercise: Exercise, all: Exercise[]) =>
  Object.fromEntries(all.filter((e) => exercise.uses.includes(e.id)).map((e) => [e.id, e.solutionDir]));

async function checkExercise(root: string, query: string): Promise<Proof[]> {
  const proofs: Proof[] = [];
  let all: Exercise[];
  try {
    all = loadExercises(root);
  } catch (error) {
    return [{ what: 'records valid', ok: false, detail: error instanceof ManifestError ? error.message : String(error) }];
  }
  const exercise = findExercise(all, query);
  proofs.push({ what: `records valid (${exercise.record}, ${exercise.instructorRecord})`, ok: true });
  proofs.push(folderProofs(root, exercise));

  const solution = resultOf(await grade({ root, exercises: [exercise.id], dir: LAYOUT.solutions }), exercise.id);
  const hiddenCount = solution?.checks.hidden.total ?? 0;
  proofs.push({
    what: `solution passes every check (${solution?.checks.public.total ?? 0} public, ${hiddenCount} hidden)`,
    ok: solution?.status === 'passed' && hiddenCount > 0,
    detail: solution?.status === 'passed' ? (hiddenCount > 0 ? undefined : 'no hidden check ran') : firstFailures(solution),
  });

  const starter = resultOf(await grade({ root, exercises: [exercise.id], submissions: { ...usedSolutions(exercise, all), [exercise.id]: exercise.dir } }), exercise.id);
  proofs.push({ what: 'starter scores 0', ok: starter !== undefined && starter.points === 0 && starter.passed === 0, detail: starter && starter.passed > 0 ? `${starter.passed} checks pass on the starter` : undefined });

  if (exercise.mutants.length === 0) proofs.push({ what: 'mutants', ok: false, detail: `${exercise.instructorRecord} lists none` });
  const scratch = path.join(root, LAYOUT.cache, 'check-exercise', `${exercise.id}-${process.pid}`);
  try {
    for (const mutant of exercise.mutants) {
      const dir = path.relative(root, materialize(root, exercise, mutant, scratch));
      const result = resultOf(await grade({ root, exercises: [exercise.id], dir: LAYOUT.solutions, submissions: { [exercise.id]: dir } }), exercise.id);
      const caught = result?.problems.length === 0 && result.failures.some((f) => f.check === mutant.caughtBy);
      const detail = !result ? 'no result' : result.problems.length > 0 ? `does not type-check or run: ${result.problems.join('; ')}` : `not caught by "${mutant.caughtBy}"; failed: ${result.failures.map((f) => f.check).join(', ') || 'nothing'}`;
      proofs.push({ what: `mutant ${mutant.name} caught by its check`, ok: caught, detail: caught ? undefined : detail });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return proofs;
}

if (require.main === module) {
  const [query, ...rest] = process.argv.slice(2);
  if (!query || rest.length > 0) {
    console.error('usage: npm run check:exercise -- NN');
    process.exit(2);
  }
  const started = Date.now();
  checkExercise(findRoot(__dirname), query).then(
    (proofs) => {
      for (const proof of proofs) console.log(`${proof.ok ? '✓' : '✗'} ${proof.what}${proof.detail ? `\n      ${proof.detail}` : ''}`);
      const failed = proofs.filter((p) => !p.ok).length;
      console.log(`\n${proofs.length - failed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
      process.exitCode = failed > 0 ? 1 : 0;
    },
    (error: unknown) => {
      console.error(`check:exercise: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
