/**
 * Planted submissions for the gradebook's test and benchmark: folders shaped like a student's
 * release, made from the solutions, the starters, the mutants and the fixtures (no new bad code).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { applyEdits, parseMutation } from './mutation';

/** What a planted submission's exercises/ holds. */
export interface PlantedSubmission {
  /** Every exercise from the reference solutions or from the untouched starters. */
  base: 'solutions' | 'exercises';
  /** Exercise id → a mutant of checker/mutants/<id>/ to put in instead. */
  mutants?: Record<string, string>;
  /** Exercise id → a planted bad submission of checker/fixtures/<name>/<id>/ to put in instead. */
  fixtures?: Record<string, string>;
  /** Exercise files (`NN-slug/file.ts`) or folders (`NN-slug`) the student deleted. */
  deleted?: string[];
}

/** Writes a submission folder `dir` (with an `exercises/` folder) as `plan` says. */
export function plantSubmission(root: string, dir: string, plan: PlantedSubmission): void {
  const exercises = path.join(dir, 'exercises');
  fs.cpSync(path.join(root, plan.base), exercises, { recursive: true });
  for (const [id, mutant] of Object.entries(plan.mutants ?? {})) {
    fs.rmSync(path.join(exercises, id), { recursive: true, force: true });
    fs.cpSync(path.join(root, 'solutions', id), path.join(exercises, id), { recursive: true });
    const recipe = path.join(root, 'checker', 'mutants', id, mutant, 'mutation.txt');
    if (fs.existsSync(recipe)) applyEdits(path.join(exercises, id), parseMutation(fs.readFileSync(recipe, 'utf8')).edits);
    else fs.cpSync(path.join(root, 'checker', 'mutants', id, mutant), path.join(exercises, id), { recursive: true });
  }
  for (const [id, fixture] of Object.entries(plan.fixtures ?? {})) {
    fs.rmSync(path.join(exercises, id), { recursive: true, force: true });
    fs.cpSync(path.join(root, 'checker', 'fixtures', fixture, id), path.join(exercises, id), { recursive: true });
  }
  for (const rel of plan.deleted ?? []) fs.rmSync(path.join(exercises, rel), { recursive: true, force: true });
}
