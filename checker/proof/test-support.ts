/**
 * Shared by the proofs of the checks and of the grader (checker/proof/*.test.ts).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { isBrokerReachable } from '../../toolkit/broker';
import { findRoot, LAYOUT, loadExercises, type Exercise, type Service } from '../../tooling/course';
import type { ExerciseResult, GradeReport } from '../grade/grade';

export const root = findRoot(__dirname);

/** Every exercise of the course, from the manifest. */
export const ALL_EXERCISES: Exercise[] = loadExercises(root);

const reachable: Record<Service, boolean> = { rabbitmq: await isBrokerReachable(), redis: false };

/**
 * The exercises these tests prove: every exercise, except those whose record says they need a
 * service (`requires`) that is not reachable. Under CI=true nothing is left out: there a missing
 * service must fail the run, not shrink it.
 */
export const EXERCISES: string[] = ALL_EXERCISES.filter((e) => e.requires.every((s) => reachable[s]) || process.env.CI === 'true').map((e) => e.id);

if (EXERCISES.length < ALL_EXERCISES.length) {
  const missing = ALL_EXERCISES.filter((e) => !EXERCISES.includes(e.id)).map((e) => `${e.id} (needs ${e.requires.join(', ')})`);
  console.warn(`\n!!! Services not reachable: the grader tests leave out ${missing.join('; ')}.\n`);
}

/** The exercise with this id; throws when there is none. */
export function exercise(id: string): Exercise {
  const found = ALL_EXERCISES.find((e) => e.id === id);
  if (!found) throw new Error(`no exercise ${id} in the manifest`);
  return found;
}

/** The result of exercise `id` in a report; throws when it is missing. */
export function resultOf(report: GradeReport, id: string): ExerciseResult {
  const result = report.exercises.find((r) => r.id === id);
  if (!result) throw new Error(`no result for ${id} in the report`);
  return result;
}

/** A fresh scratch folder inside the repository (tsc and vite resolve packages from there). */
export function scratchDir(name: string): string {
  const dir = path.join(root, LAYOUT.cache, 'test', `${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Minutes, for test timeouts: grading spawns processes, and this machine may be busy. */
export const minutes = (n: number) => n * 60_000;
