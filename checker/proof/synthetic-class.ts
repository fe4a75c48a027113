/**
 * Planted submissions for the gradebook's test and benchmark: folders shaped like a student's
 * release, made from the solutions, the starters, the mutants and the fixtures (no new bad code).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, loadExercises, type Exercise } from '../../tooling/course';
import { writeRecipe } from './mutation';

/** What a planted submission's exercise folders hold. */
export interface PlantedSubmission {
  /** Every exercise from its reference solution or from its untouched starter. */
  base: 'solution' | 'starter';
  /** Exercise id → a mutant named in its record to put in instead. */
  mutants?: Record<string, string>;
  /** Exercise id → a planted bad submission of checker/proof/fixtures/<name>/<id>/ to put in instead. */
  fixtures?: Record<string, string>;
  /** Exercise files (`NN-slug/file.ts`) or folders (`NN-slug`) the student deleted. */
  deleted?: string[];
}

/** Writes a submission folder `dir` (with the starters' folder, as in a release) as `plan` says. */
export function plantSubmission(root: string, dir: string, plan: PlantedSubmission): void {
  const exercises = loadExercises(root);
  const byId = (id: string) => exercises.find((e) => e.id === id) as Exercise;
  const folder = (id: string) => path.join(dir, byId(id).dir);
  const copy = (from: string, to: string) => fs.cpSync(from, to, { recursive: true });
  for (const exercise of exercises) copy(path.join(root, plan.base === 'solution' ? exercise.solutionDir : exercise.dir), folder(exercise.id));
  for (const [id, name] of Object.entries(plan.mutants ?? {})) {
    const mutant = byId(id).mutants.find((m) => m.name === name);
    if (!mutant) throw new Error(`${id} has no mutant "${name}"`);
    fs.rmSync(folder(id), { recursive: true, force: true });
    writeRecipe(root, byId(id), mutant.dir, folder(id), copy);
  }
  for (const [id, fixture] of Object.entries(plan.fixtures ?? {})) {
    fs.rmSync(folder(id), { recursive: true, force: true });
    writeRecipe(root, byId(id), path.join(LAYOUT.fixtures, fixture, id), folder(id), copy);
  }
  for (const rel of plan.deleted ?? []) fs.rmSync(path.join(dir, LAYOUT.exercises, rel), { recursive: true, force: true });
}
