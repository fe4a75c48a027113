#!/usr/bin/env node
// Runs before every npm script of a student release (scripts/release.ts puts
// `node tooling/needs-setup.cjs && ` in front of each): before ./setup has installed the npm
// packages, a script would end in "sh: 1: tsx: not found"; this says what to do instead, and
// stops the script. Plain Node.js, no package: it runs when nothing else is installed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
if (!fs.existsSync(tsx)) {
  const script = process.env.npm_lifecycle_event;
  console.error(`The workbook is not set up yet: run ./setup first (it installs the npm packages the workbook needs), then npm ${script === 'start' ? 'start' : `run ${script ?? '<script>'}`} again.`);
  process.exit(1);
}
