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

/**
 * A file's modification time and size, or undefined when it is gone: what tells a warm process
 * (the warm vitest, the warm type-checker) that a file it read has changed since.
 */
export function fileStamp(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}
