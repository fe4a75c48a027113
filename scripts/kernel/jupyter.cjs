'use strict';
// Finds a working Jupyter. Debian's /usr/bin/jupyter is preferred over a `jupyter` on PATH
// because a pyenv or virtualenv shim may shadow it without having Jupyter installed.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

/** Returns the command that runs Jupyter ($JUPYTER when set, else the usual places), or null. */
function findJupyter() {
  const candidates = process.env.JUPYTER ? [process.env.JUPYTER] : ['/usr/bin/jupyter', 'jupyter'];
  for (const candidate of candidates) {
    if (candidate.includes('/') && !fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

const HOW_TO_GET_JUPYTER = [
  'Jupyter was not found, so the notebooks cannot run yet (everything else works).',
  'Install it, then run `npm run kernel:install`:',
  '  Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient',
  '  elsewhere:     pip install notebook   (or JupyterLab: pip install jupyterlab)',
  'If Jupyter lives somewhere unusual, point JUPYTER at it: JUPYTER=/path/to/jupyter npm run kernel:install',
].join('\n');

module.exports = { findJupyter, HOW_TO_GET_JUPYTER };
