/**
 * `npm start`: opens the lessons in JupyterLab when it is installed, else in the classic Notebook,
 * after checking that Jupyter and the workbook's kernel are there.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT } from '../course';
import { findJupyter } from '../programs';
import { KERNEL_NAME, kernelSpecDir } from './install';

function main(): number {
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error('Jupyter was not found. Run ./setup first (it installs Jupyter and registers the kernel).');
    return 1;
  }
  const specDir = kernelSpecDir(jupyter);
  if (typeof specDir !== 'string' || !fs.existsSync(path.join(specDir, 'kernel.json'))) {
    console.error(`The workbook's kernel (${KERNEL_NAME}) is not registered. Run ./setup (or npm run kernel:install).`);
    return 1;
  }
  const hasLab = spawnSync(jupyter, ['lab', '--version'], { encoding: 'utf8' }).status === 0;
  const root = findRoot(__dirname);
  const args = [hasLab ? 'lab' : 'notebook', `--notebook-dir=${root}`, LAYOUT.lessons, ...process.argv.slice(2)];
  if (process.getuid?.() === 0) args.push('--allow-root');
  console.log(`Starting Jupyter ${hasLab ? 'Lab' : 'Notebook'} on ${LAYOUT.lessons}/ ...`);
  return spawnSync(jupyter, args, { stdio: 'inherit', cwd: root }).status ?? 1;
}

process.exitCode = main();
