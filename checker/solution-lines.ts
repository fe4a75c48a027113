/**
 * The "distinctive lines" of the reference solutions: lines that carry logic, so that finding one
 * in a file students get means a solution leaked. Used by the exercise tests and the release test.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';

/** Lines any Node code may contain: sharing them gives nothing away. */
const IDIOMS = new Set(["res.on('data', (chunk: Buffer) => chunks.push(chunk));"]);

/**
 * Lines of the solutions of `ids` that carry logic: long enough, not a comment, a declaration or
 * an idiom, and not in the starter.
 * @returns line → the solution file it comes from (relative to `root`)
 */
export function distinctiveSolutionLines(root: string, ids: string[]): Map<string, string> {
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const lines = new Map<string, string>();
  for (const id of ids) {
    const names = fs.readdirSync(path.join(root, 'solutions', id)).filter((n) => n.endsWith('.ts')).sort();
    for (const name of names) {
      const starter = new Set(read(`exercises/${id}/${name}`).split('\n').map((l) => l.trim()));
      for (const raw of read(`solutions/${id}/${name}`).split('\n')) {
        const line = raw.trim();
        const declaration = /^(\*|\/\/|\/\*|import |export (interface|type) |(private|public|protected|readonly) |return new Promise)/.test(line);
        if (line.length >= 30 && !declaration && !IDIOMS.has(line) && !starter.has(line)) {
          lines.set(line, `solutions/${id}/${name}`);
        }
      }
    }
  }
  return lines;
}
