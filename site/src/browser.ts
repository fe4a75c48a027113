/** Finding and starting the Chromium that renders the diagrams (and drives the browser tests). */
import fs from 'node:fs';

export const DEFAULT_BROWSER = '/usr/bin/chromium';
/** Flags for a headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export class MissingBrowserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingBrowserError';
  }
}

const HOW_TO_GET_ONE =
  'Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`), or set PUPPETEER_EXECUTABLE_PATH ' +
  'to the executable of a Chrome or Chromium you already have.';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The browser to use: $PUPPETEER_EXECUTABLE_PATH when set, else /usr/bin/chromium.
 * @throws MissingBrowserError saying how to get one.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, fallback: string = DEFAULT_BROWSER): string {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    if (isExecutable(chosen)) return chosen;
    throw new MissingBrowserError(`PUPPETEER_EXECUTABLE_PATH is "${chosen}", which is not an executable file. ${HOW_TO_GET_ONE}`);
  }
  if (isExecutable(fallback)) return fallback;
  throw new MissingBrowserError(
    `No browser to render the diagrams: ${fallback} was not found and PUPPETEER_EXECUTABLE_PATH is not set. ${HOW_TO_GET_ONE}`,
  );
}
