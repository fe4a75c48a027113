/**
 * Shared by the grader's own tests (checker/*.test.ts).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../toolkit/course';
import type { ExerciseResult, GradeReport } from './grade';

export const root = findRoot(__dirname);

/**
 * The exercises these tests prove: 01 to 08, which need nothing but Node. (An exercise that needs
 * an outside service, like a message broker, brings its own proof.)
 */
export const EXERCISES = [
  '01-http-messages',
  '02-work-queue',
  '03-retry-backoff',
  '04-at-least-once',
  '05-exactly-once',
  '06-request-reply',
  '07-pub-sub',
  '08-circuit-breaker',
];

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
