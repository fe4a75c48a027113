#!/usr/bin/env node
// Registers the workbook's Jupyter kernel, "TypeScript (Message Passing workbook)".
// Runs as `postinstall`: an install never fails for want of Jupyter, it only explains.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { findJupyter, HOW_TO_GET_JUPYTER } = require('./jupyter.cjs');

const KERNEL_NAME = 'message-passing-ts';
const DISPLAY_NAME = 'TypeScript (Message Passing workbook)';

function kernelSpec() {
  return {
    argv: [process.execPath, path.join(__dirname, 'launch.cjs'), 'kernel', '--config-path', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
  };
}

function main() {
  const jupyter = findJupyter();
  if (!jupyter) {
    console.log(HOW_TO_GET_JUPYTER);
    return 0;
  }
  // `jupyter kernelspec install --user` copies kernel.json into <data dir>/kernels/<name>; we do the
  // same directly, because some distributions ship Jupyter without the kernelspec subcommand.
  const dataDir = spawnSync(jupyter, ['--data-dir'], { encoding: 'utf8' });
  if (dataDir.status !== 0 || !dataDir.stdout.trim()) {
    console.log(`Could not ask Jupyter for its data folder:\n${dataDir.stderr}`);
    return process.env.npm_lifecycle_event === 'postinstall' ? 0 : 1;
  }
  const specDir = path.join(dataDir.stdout.trim(), 'kernels', KERNEL_NAME);
  fs.mkdirSync(specDir, { recursive: true });
  fs.writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  console.log(`Registered the Jupyter kernel "${DISPLAY_NAME}" (${KERNEL_NAME}) in ${specDir}.`);
  return 0;
}

process.exitCode = main();
