/**
 * Shared by the grader's own tests (checker/*.test.ts).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { isBrokerReachable } from '../toolkit/broker';
import { findRoot, loadCourse } from '../toolkit/course';
import type { ExerciseResult, GradeReport } from './grade';

export const root = findRoot(__dirname);

const rabbitmqUp = await isBrokerReachable();

/**
 * The exercises these tests prove: every exercise of the course, except those whose README says
 * they need RabbitMQ (`requires: rabbitmq`) when none is reachable. Under CI=true nothing is left
 * out: there a missing broker must fail the run, not shrink it.
 */
export const EXERCISES = loadCourse(root)
  .exercises.filter((e) => !e.requires.includes('rabbitmq') || rabbitmqUp || process.env.CI === 'true')
  .map((e) => e.id);

if (EXERCISES.length < loadCourse(root).exercises.length) {
  console.warn('\n!!! No RabbitMQ at AMQP_URL: the grader tests leave out the exercises that need it.\n');
}

/** The result of exercise `id` in a report; throws when it is missing. */
export function resultOf(report: GradeReport, id: string): ExerciseResult {
  const result = report.exercises.find((r) => r.id === id);
  if (!result) throw new Error(`no result for ${id} in the report`);
  return result;
}

/** A fresh scratch folder inside the repository (tsc and vite resolve packages from there). */
export function scratchDir(name: string): string {
  const dir = path.join(root, '.cache', 'test', `${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Minutes, for test timeouts: grading spawns processes, and this machine may be busy. */
export const minutes = (n: number) => n * 60_000;
