#!/usr/bin/env node
// `npm start`: opens the lessons in JupyterLab when it is installed, else in the classic Notebook.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { findJupyter, HOW_TO_GET_JUPYTER } = require('./jupyter.cjs');

const jupyter = findJupyter();
if (!jupyter) {
  console.error(HOW_TO_GET_JUPYTER);
  process.exit(1);
}
const hasLab = spawnSync(jupyter, ['lab', '--version'], { encoding: 'utf8' }).status === 0;
const app = hasLab ? 'lab' : 'notebook';
const repoRoot = path.resolve(__dirname, '..', '..');
const args = [app, `--notebook-dir=${repoRoot}`, path.join('lessons'), ...process.argv.slice(2)];
if (process.getuid && process.getuid() === 0) args.push('--allow-root');
console.log(`Starting Jupyter ${hasLab ? 'Lab' : 'Notebook'} on lessons/ ...`);
const run = spawnSync(jupyter, args, { stdio: 'inherit', cwd: repoRoot });
process.exit(run.status ?? 1);
