/**
 * The "distinctive lines" of the reference solutions: lines that carry logic, so that finding one
 * in a file students get means a solution leaked. Used by the exercise tests and the release test.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../../tooling/course';
import { toPosix } from '../../tooling/files';

/** Lines any Node code may contain: sharing them gives nothing away. */
const IDIOMS = new Set(["res.on('data', (chunk: Buffer) => chunks.push(chunk));", 'const timer = setTimeout(() => {']);

/**
 * Lines of the solutions of `exercises` that carry logic: long enough, not a comment, a
 * declaration or an idiom, and not in the starter.
 * @returns line → the solution file it comes from (relative to `root`)
 */
export function distinctiveSolutionLines(root: string, exercises: Exercise[]): Map<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const lines = new Map<string, string>();
  for (const exercise of exercises) {
    for (const name of exercise.files) {
      const starter = new Set(read(path.join(exercise.dir, name)).split('\n').map((l) => l.trim()));
      const solution = path.join(exercise.solutionDir, name);
      for (const raw of read(solution).split('\n')) {
        const line = raw.trim();
        const declaration = /^(\*|\/\/|#|\/\*|import |from |export (interface|type) |(private|public|protected|readonly) |return new Promise)/.test(line);
        if (line.length >= 30 && !declaration && !IDIOMS.has(line) && !starter.has(line)) lines.set(line, toPosix(solution));
      }
    }
  }
  return lines;
}
