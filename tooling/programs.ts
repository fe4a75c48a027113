/**
 * Finding the programs the workbook runs: Python, Jupyter and Chromium (the PATH first, Debian's
 * `/usr/bin/...` last), and the flags a headless Chromium needs in a container.
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The full path of `command` on the PATH (`searchPath`, default `$PATH`), or undefined. */
export function onPath(command: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = path.join(dir, command + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The first candidate that runs `probe` with exit code 0. A candidate is a command name (looked
 * up on the PATH) or a path. `chosen` (an environment variable the user set) is the only
 * candidate when it is set.
 */
function firstThatRuns(chosen: string | undefined, candidates: string[], probe: string[]): string | null {
  for (const candidate of chosen ? [chosen] : candidates) {
    const command = candidate.includes('/') || candidate.includes('\\') ? candidate : onPath(candidate);
    if (!command || !isExecutableFile(command)) continue;
    if (spawnSync(command, probe, { encoding: 'utf8', timeout: 30_000 }).status === 0) return command;
  }
  return null;
}

/** A Python 3: `$PYTHON`, `python3` on the PATH, `/usr/bin/python3`; null when none runs. */
export function findPython(): string | null {
  return firstThatRuns(process.env.PYTHON, ['python3', '/usr/bin/python3'], ['-c', 'import sys; assert sys.version_info >= (3, 9)']);
}

/**
 * A `jupyter` that answers: `$JUPYTER`, `jupyter` on the PATH, `/usr/bin/jupyter`. A pyenv or
 * virtualenv shim without Jupyter behind it does not answer, and is passed over.
 */
export function findJupyter(): string | null {
  return firstThatRuns(process.env.JUPYTER, ['jupyter', '/usr/bin/jupyter'], ['--version']);
}

/** The Python that has nbclient (to run notebooks): `$JUPYTER_PYTHON`, `python3`, `/usr/bin/python3`. */
export function findJupyterPython(): string | null {
  return firstThatRuns(process.env.JUPYTER_PYTHON, ['python3', '/usr/bin/python3'], ['-c', 'import nbclient, nbformat']);
}

/** No Chrome or Chromium to render diagrams or drive the browser tests. */
class MissingBrowserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingBrowserError';
  }
}

const HOW_TO_GET_A_BROWSER =
  'Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: `brew install --cask chromium`), ' +
  'or set PUPPETEER_EXECUTABLE_PATH to the executable of a Chrome or Chromium you already have.';

/**
 * The Chrome or Chromium to use: `$PUPPETEER_EXECUTABLE_PATH`, then `chromium`, `chromium-browser`,
 * `google-chrome` on the PATH, then `lastResort` (Debian's `/usr/bin/chromium`).
 * @throws MissingBrowserError saying how to get one.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, lastResort = '/usr/bin/chromium'): string {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    if (isExecutableFile(chosen)) return chosen;
    throw new MissingBrowserError(`PUPPETEER_EXECUTABLE_PATH is "${chosen}", which is not an executable file. ${HOW_TO_GET_A_BROWSER}`);
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = onPath(name, env.PATH ?? '');
    if (found) return found;
  }
  if (isExecutableFile(lastResort)) return lastResort;
  throw new MissingBrowserError(`No Chrome or Chromium was found on the PATH or at ${lastResort}. ${HOW_TO_GET_A_BROWSER}`);
}

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
