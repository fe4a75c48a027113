#!/usr/bin/env node
// The launcher of the workbook's Jupyter kernel. The installer copies this file into the
// kernelspec folder, so that it belongs to no checkout: one kernelspec serves every checkout.
//
// Jupyter starts a kernel in the notebook's folder. From there the launcher walks up to the
// nearest workbook (a folder with course.json and package.json) and starts that workbook's own
// tslab with the workbook root as working directory: tslab compiles each cell with rootDir = its
// working directory, so notebooks import `./toolkit/...` and `./exercises/...` of their own
// checkout. Only a notebook outside every workbook falls back to the checkout that installed the
// kernel (recorded in fallback.json next to this file).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const isWorkbook = (dir) => fs.existsSync(path.join(dir, 'course.json')) && fs.existsSync(path.join(dir, 'package.json'));

function nearestWorkbook(start) {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isWorkbook(dir)) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function fallbackWorkbook() {
  try {
    const { root } = JSON.parse(fs.readFileSync(path.join(__dirname, 'fallback.json'), 'utf8'));
    return isWorkbook(root) ? root : null;
  } catch {
    return null;
  }
}

const versionOf = (root, name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
};

// Where the toolkit's showMermaid finds the workbook's diagram worker and its images. Images are
// kept per renderer version: a new mermaid draws every diagram again.
function diagramConfig(root) {
  const renderer = `mermaid-cli-${versionOf(root, '@mermaid-js/mermaid-cli')}-mermaid-${versionOf(root, 'mermaid')}`;
  return {
    root,
    worker: path.join(root, 'tooling', 'diagrams', 'worker.ts'),
    cache: path.join(root, '.cache', 'notebook-diagrams', renderer),
  };
}

const root = nearestWorkbook(process.cwd()) || fallbackWorkbook();
if (!root) {
  console.error(`The Message Passing workbook kernel found no workbook above ${process.cwd()}. Open the notebook from a workbook checkout.`);
  process.exit(1);
}
const tslab = path.join(root, 'node_modules', 'tslab', 'dist', 'main.js');
if (!fs.existsSync(tslab)) {
  console.error(`The workbook at ${root} is not installed yet: run ./setup (or npm ci) there, then reopen the notebook.`);
  process.exit(1);
}
// Jupyter starts a kernel in its notebook's folder: the grader's links in the notebook's output are relative to it.
process.env.WORKBOOK_NOTEBOOK_DIR = process.cwd();
process.chdir(root);
// A cell run before the cells above it fails with tslab's "1:13 - Cannot find name 'net'.", printed
// through console.error into the cell's output (tslab takes console.error when it starts): say
// what to do, once per cell.
const RUN_ABOVE =
  "If an earlier cell defines it, run the cells above first (classic Notebook: Cell > Run All Above; JupyterLab: Run > Run All Above Selected Cell): a kernel knows only the cells run since it started.";
const printError = console.error;
// tslab gives each cell's run a stderr of its own: the one the advice was last written to.
let saidTo;
console.error = (...args) => {
  printError(...args);
  if (saidTo === process.stderr.write || !/ - Cannot find name '/.test(require('node:util').format(...args))) return;
  saidTo = process.stderr.write;
  printError(RUN_ABOVE);
};
// WORKBOOK_DIAGRAMS=off (the diagram bench's baseline) shows diagrams as their mermaid source.
if (process.env.WORKBOOK_DIAGRAMS !== 'off') process.env.WORKBOOK_DIAGRAMS = JSON.stringify(diagramConfig(root));
// The workbook's own speed-ups (its tooling/kernel/speedups.cjs; an older checkout has none).
const speedups = path.join(root, 'tooling', 'kernel', 'speedups.cjs');
if (process.env.WORKBOOK_KERNEL_SPEEDUPS !== 'off' && fs.existsSync(speedups)) {
  try {
    require(speedups).speedUpKernel(root, tslab);
  } catch (error) {
    // Jupyter's log, not a cell: a kernel without its speed-ups is only slower.
    console.error(`The kernel starts without its speed-ups (${error.message}).`);
  }
}
require(tslab).main();
