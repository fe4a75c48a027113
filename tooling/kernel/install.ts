/**
 * Registers the workbook's Jupyter kernel, "TypeScript (Message Passing workbook)". Runs as
 * `postinstall`: an install never fails for want of Jupyter, it only explains.
 *
 * One kernelspec serves every checkout on the machine: its launcher (launch.cjs, copied into the
 * kernelspec folder) starts the tslab of the workbook the notebook is in. Installing a second
 * checkout therefore changes nothing for the first.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../course';
import { writeFileAtomic } from '../files';
import { findJupyter } from '../programs';

export const KERNEL_NAME = 'message-passing-ts';
export const DISPLAY_NAME = 'TypeScript (Message Passing workbook)';

export const HOW_TO_GET_JUPYTER = [
  'Jupyter was not found, so the notebooks cannot run yet (everything else works).',
  'Run ./setup, which installs it on Debian and Ubuntu, or install it yourself and run `npm run kernel:install`:',
  '  Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient',
  '  elsewhere:     pip install notebook nbclient   (or JupyterLab: pip install jupyterlab nbclient)',
  'If Jupyter lives somewhere unusual, point JUPYTER at it: JUPYTER=/path/to/jupyter npm run kernel:install',
].join('\n');

/** The kernelspec folder in Jupyter's data folder, or a reason why there is none. */
export function kernelSpecDir(jupyter: string): string | { problem: string } {
  const dataDir = spawnSync(jupyter, ['--data-dir'], { encoding: 'utf8' });
  if (dataDir.status !== 0 || !dataDir.stdout.trim()) return { problem: `could not ask Jupyter for its data folder:\n${dataDir.stderr}` };
  return path.join(dataDir.stdout.trim(), 'kernels', KERNEL_NAME);
}

function main(): number {
  const jupyter = findJupyter();
  if (!jupyter) {
    console.log(HOW_TO_GET_JUPYTER);
    return 0;
  }
  const specDir = kernelSpecDir(jupyter);
  if (typeof specDir !== 'string') {
    console.log(`The kernel was not registered: ${specDir.problem}`);
    return process.env.npm_lifecycle_event === 'postinstall' ? 0 : 1;
  }
  // `jupyter kernelspec install --user` would copy a folder into the same place; Debian's Jupyter
  // has no kernelspec subcommand, so the files are written directly.
  const launcher = path.join(specDir, 'launch.cjs');
  writeFileAtomic(launcher, fs.readFileSync(path.join(__dirname, 'launch.cjs')));
  writeFileAtomic(path.join(specDir, 'fallback.json'), `${JSON.stringify({ root: findRoot(__dirname) }, null, 2)}\n`);
  const spec = { argv: [process.execPath, launcher, 'kernel', '--config-path', '{connection_file}'], display_name: DISPLAY_NAME, language: 'typescript' };
  writeFileAtomic(path.join(specDir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  console.log(`Registered the Jupyter kernel "${DISPLAY_NAME}" (${KERNEL_NAME}) in ${specDir}; it serves every workbook checkout.`);
  return 0;
}

if (require.main === module) process.exitCode = main();
