/** `npm run site:serve`: serves the built site on localhost. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { serveSite } from './src/server';
import { DEFAULT_OUT_DIR } from './src/site';

const program = new Command()
  .name('npm run site:serve --')
  .description('Serve the built site (run `npm run site` first).')
  .option('--dir <dir>', 'folder to serve', DEFAULT_OUT_DIR)
  .option('--port <port>', 'port; 0 picks a free one', '4173')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--base <path>', 'serve the site under this path, as GitHub Pages does a project site (e.g. /course/)', '/')
  .parse();

async function main() {
  const { dir, port, host, base } = program.opts<{ dir: string; port: string; host: string; base: string }>();
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.error(pc.red(`No site in ${dir}: build it first with npm run site.`));
    process.exitCode = 1;
    return;
  }
  const server = await serveSite(dir, { host, port: Number(port), base });
  console.log(`Serving ${dir} at ${pc.bold(server.url)} (Ctrl+C to stop)`);
}

main().catch((error: Error) => {
  console.error(pc.red(error.message));
  process.exitCode = 1;
});
