/**
 * File and path helpers shared by the grader, the gradebook, the site and the tests: POSIX paths
 * and atomic writes.
 * @module
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A path with forward slashes, as vitest, tsc and URLs write them (Windows included). */
export const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Writes a file so that a reader never sees it half-written, even with two writers at once. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}
