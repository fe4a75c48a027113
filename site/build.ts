/** `npm run site`: builds the course site into site/_site. */
import { Command } from 'commander';
import pc from 'picocolors';
import { DEFAULT_CACHE_DIR, DEFAULT_OUT_DIR, buildSite } from './src/site';

const program = new Command()
  .name('npm run site --')
  .description('Build the course site: lessons from fresh notebook runs, pre-rendered diagrams, the quiz, search and the API reference.')
  .option('--out <dir>', 'output folder', DEFAULT_OUT_DIR)
  .option('--cache <dir>', 'cache folder (notebook runs, diagrams, API reference)', DEFAULT_CACHE_DIR)
  .option('--no-api', 'skip the typedoc API reference')
  .option('--base-url <url>', 'the address the site will be published at, e.g. https://org.github.io/course/ (canonical links, sitemap.xml, Open Graph)')
  .parse();

async function main() {
  const options = program.opts<{ out: string; cache: string; api: boolean; baseUrl?: string }>();
  const report = await buildSite({ outDir: options.out, cacheDir: options.cache, api: options.api, baseUrl: options.baseUrl, log: (line) => console.log(pc.dim(line)) });
  for (const warning of report.warnings) console.warn(pc.yellow(`warning: ${warning}`));
  const { notebooks, diagrams } = report;
  console.log(
    pc.green(`Built ${report.pages.length} pages into ${report.outDir} in ${report.seconds.toFixed(1)} s`) +
      ` (notebooks: ${notebooks.executed} executed, ${notebooks.cached} cached, ${notebooks['no code']} without code;` +
      ` diagrams: ${diagrams.rendered} rendered, ${diagrams.fromCache} cached; API reference: ${report.api}).`,
  );
  console.log(`Look at it with ${pc.bold('npm run site:serve')}.`);
}

main().catch((error: Error) => {
  console.error(pc.red(`\nThe site was not built: ${error.message}`));
  process.exitCode = 1;
});
