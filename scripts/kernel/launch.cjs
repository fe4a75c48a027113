#!/usr/bin/env node
// Starts this repository's tslab with the repository root as its working directory.
// tslab compiles every cell with rootDir = the kernel's working directory, so a notebook
// can only import files below it: from the root, `./toolkit/...` and `./exercises/...` work.
'use strict';
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
process.chdir(repoRoot);
require(path.join(repoRoot, 'node_modules', 'tslab', 'dist', 'main.js')).main();
