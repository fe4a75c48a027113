/**
 * `npm run typecheck`: type-checks every TypeScript project of the workbook, each with its own
 * settings: the workbook's code (tsconfig.json) and the exercises as students write them
 * (exercises/tsconfig.json). The planted bad submissions of the proofs are type-checked by the
 * grader, as submissions are.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT } from './course';

const root = findRoot(__dirname);
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const projects = ['.', LAYOUT.exercises].filter((dir) => fs.existsSync(path.join(root, dir, 'tsconfig.json')));
let failed = false;
for (const project of projects) {
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  failed ||= run.status !== 0;
}
process.exitCode = failed ? 1 : 0;
