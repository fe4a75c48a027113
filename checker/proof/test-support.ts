/**
 * Shared by the proofs of the checks and of the grader (checker/proof/*.test.ts).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { isBrokerReachable } from '../../toolkit/broker';
import { isRedisReachable } from '../../toolkit/stream';
import { findRoot, LAYOUT, loadExercises, type Exercise, type Service } from '../../tooling/course';
import type { ExerciseResult, GradeReport } from '../grade/grade';
import { writeRecipe } from './mutation';

export const root = findRoot(__dirname);

/**
 * Every exercise of the course, from the manifest; or those that PROOF_EXERCISES names (ids,
 * comma-separated), when an author checks one exercise (`npm run check:exercise`).
 */
export const ALL_EXERCISES: Exercise[] = loadExercises(root).filter((e) => !process.env.PROOF_EXERCISES || process.env.PROOF_EXERCISES.split(',').includes(e.id));

const reachable: Record<Service, boolean> = { rabbitmq: await isBrokerReachable(), redis: await isRedisReachable() };

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

/**
 * Puts planted bad submission `name` of exercise `id` (checker/proof/fixtures/<name>/<id>/) where a
 * student's file would sit, one level below the root like exercises/NN-slug/, so that its relative
 * imports (`../../toolkit/netsim`) mean what they mean in a student's copy.
 * @returns the folder to grade for the exercise
 */
export function plantFixture(name: string, id: string): string {
  const dir = path.join(root, `.proof-${name}-${process.pid}`, id);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  writeRecipe(root, exercise(id), path.join(LAYOUT.fixtures, name, id), dir, (from, to) => fs.cpSync(from, to, { recursive: true }));
  // links.json: files that are symbolic links, to a file of the workbook.
  const links = path.join(dir, 'links.json');
  if (fs.existsSync(links)) {
    for (const [file, target] of Object.entries(JSON.parse(fs.readFileSync(links, 'utf8')) as Record<string, string>)) {
      if (!file.startsWith('//')) fs.symlinkSync(path.join(root, target), path.join(dir, file));
    }
    fs.rmSync(links);
  }
  return dir;
}

/** Removes every folder {@link plantFixture} made in this process. */
export function removePlantedFixtures(): void {
  for (const name of fs.readdirSync(root).filter((n) => n.startsWith('.proof-') && n.endsWith(`-${process.pid}`))) {
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Minutes, for test timeouts: grading spawns processes, and this machine may be busy. */
export const minutes = (n: number) => n * 60_000;
