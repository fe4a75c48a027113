/**
 * Writes the student release of the workbook: a self-contained repository with the lessons
 * (outputs cleared), the exercise starters, the public checks, the grading command, the toolkit,
 * the tooling, the site sources, the set-up script and dev container, a student README and CI.
 *
 *   npm run release -- <dir>      (the folder must not exist, or be empty)
 *
 * Folders are copied whole, by audience: what students need is in SHIPPED; the instructor's parts
 * (solutions/ with the hidden checks, mutants and Stryker records, the gradebook, the proofs, these
 * scripts, the workbook's own tests) are simply not in it. Tests, test folders and fixtures inside
 * shipped folders stay home, the public checks (`exercises/NN-slug/checks.test.ts`) excepted.
 * tests/release.test.ts proves that no solution leaks.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EXERCISE_FILES, findRoot, LAYOUT, loadExercises, type Exercise, type Service } from '../tooling/course';
import { clearOutputs } from '../tooling/notebook';
import { toPosix } from '../tooling/files';
import { TRACES_FOLDER } from '../checker/grade/trace-dirs';

/** Files and folders a student gets, copied whole (minus NEVER), relative to the root. */
const SHIPPED = [
  '.gitignore',
  'LICENSE',
  'LICENSE-CONTENT.md',
  'CHANGELOG.md',
  '.puppeteerrc.cjs',
  'setup',
  '.devcontainer',
  LAYOUT.courseFile,
  'package-lock.json',
  'typedoc.json',
  LAYOUT.lessons,
  LAYOUT.exercises,
  LAYOUT.toolkit,
  LAYOUT.tooling,
  LAYOUT.site,
  LAYOUT.grader,
  LAYOUT.isolation,
  LAYOUT.checkSupport,
];

/** Never copied, wherever they are: installs, caches, build output, tests and their fixtures (the public checks excepted), the diagrams of a grading. */
const NEVER: RegExp[] = [
  /(^|\/)(node_modules|\.cache|\.ipynb_checkpoints|__pycache__|_site|test|fixtures)(\/|$)/,
  new RegExp(`^${LAYOUT.exercises}/[^/]+/${TRACES_FOLDER}/`),
  new RegExp(`^(?!${LAYOUT.exercises}/[^/]+/${EXERCISE_FILES.checks.replaceAll('.', '\\.')}$).*\\.test\\.ts$`),
];

/** The templates of the files written for students (README, CI). */
const TEMPLATES = path.join(__dirname, 'release');

/** Every file under `rel` (a file or folder relative to `root`) that NEVER lets through. */
function listFiles(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!fs.existsSync(full)) return [];
  const files = fs.statSync(full).isDirectory()
    ? fs.readdirSync(full, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => toPosix(path.relative(root, path.join(e.parentPath, e.name))))
    : [rel];
  return files.filter((file) => !NEVER.some((pattern) => pattern.test(file))).sort();
}

/** Put in front of every script students run: before ./setup it says "run ./setup first" (tooling/needs-setup.cjs). */
const NEEDS_SETUP = `node ${LAYOUT.tooling}/needs-setup.cjs && `;

/**
 * The package.json students get: the scripts whose files are all in the release (a script that
 * names no file of the workbook, like `test`, runs the workbook's own tests and stays home), each
 * but the install hook behind {@link NEEDS_SETUP}.
 */
function studentPackageJson(text: string, out: string): string {
  const pkg = JSON.parse(text) as { scripts: Record<string, string> };
  const shipped = (command: string) => {
    const files = [...command.matchAll(/(?:^|\s)((?:[\w.-]+\/)+[\w.-]+\.(?:ts|mts|cjs|js))\b/g)].map((m) => m[1]).filter((f) => !f.startsWith('node_modules/'));
    return files.length > 0 && files.every((file) => fs.existsSync(path.join(out, file)));
  };
  pkg.scripts = Object.fromEntries(
    Object.entries(pkg.scripts)
      .filter(([, command]) => shipped(command))
      .map(([name, command]) => [name, name === 'postinstall' ? command : NEEDS_SETUP + command]),
  );
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * The tsconfig with only the folders a release has. The public checks there type-check against
 * the student's own code (the master copy's against the solutions), so an unused parameter of a
 * starter is not an error.
 */
function studentTsconfig(text: string, out: string): string {
  const config = JSON.parse(text) as { compilerOptions: Record<string, unknown>; include: string[]; exclude: string[] };
  config.compilerOptions = { ...config.compilerOptions, noUnusedLocals: false, noUnusedParameters: false, paths: { '@submission/*': [`./${LAYOUT.exercises}/*`] } };
  config.include = config.include.filter((entry) => fs.existsSync(path.join(out, entry.replace(/\/\*.*$/, ''))));
  config.exclude = config.exclude.filter((entry) => fs.existsSync(path.join(out, entry.replace(/\/\*\*.*$/, ''))));
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** How the services an exercise may need are named, and where the workbook looks for them. */
const SERVICE_TEXT: Record<Service, string> = {
  rabbitmq: 'RabbitMQ at `AMQP_URL` (default `amqp://guest:guest@127.0.0.1:5672`)',
  redis: 'Redis 7 at `REDIS_URL` (default `redis://127.0.0.1:6379`)',
};

/** The languages other than TypeScript an exercise may be written in. */
const LANGUAGE_TEXT: Record<Exclude<Exercise['language'], 'typescript'>, string> = { python: 'Python (3.11 or later, standard library only)' };

/**
 * The student README from its template (release/README.md): its `{{languages}}` and `{{services}}`
 * say, from the course manifest, which exercises are not in TypeScript and which need a service.
 */
function studentReadme(root: string, template: string): string {
  const exercises = loadExercises(root);
  const named = (e: Exercise) => `Exercise ${e.number} (${e.title})`;
  const languages = exercises.flatMap((e) =>
    e.language === 'typescript' ? [] : [`${named(e)} is in ${LANGUAGE_TEXT[e.language]}: you write ${e.files.map((f) => `\`${f}\``).join(' and ')}, and its README says how the checks run it.`],
  );
  const services = exercises.filter((e) => e.requires.length > 0).map((e) => `${named(e)} needs ${e.requires.map((s) => SERVICE_TEXT[s]).join(' and ')}.`);
  services.push('Without its service, an exercise\'s checks are reported "not run", never passed; `./setup` installs and starts them on Debian or Ubuntu.');
  // PostgreSQL is no exercise's requirement: the checks that use it start their own when none answers.
  const database = exercises.filter((e) => /DATABASE_URL/.test(fs.readFileSync(path.join(root, e.readme), 'utf8')));
  if (database.length > 0) {
    const which = database.map((e) => `exercise ${e.number}`).join(' and ');
    services.push(`No exercise needs PostgreSQL: ${which} starts its own in its checks (PGlite), and also uses the server at \`DATABASE_URL\` when one answers (\`./setup\` sets it up).`);
  }
  return template.replace('{{languages}}', languages.join(' ')).replace('{{services}}', services.join(' '));
}

/**
 * Writes the student release of the workbook at `root` into `out`.
 * @returns the files written, relative to `out`, with forward slashes
 * @throws Error when `out` exists and is not empty
 */
export function buildRelease(root: string, out: string): string[] {
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} is not empty`);
  const written: string[] = [];
  const write = (rel: string, content: string | Buffer, mode?: number) => {
    const target = path.join(out, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content, { mode });
    written.push(rel);
  };

  for (const file of SHIPPED.flatMap((rel) => listFiles(root, rel))) {
    const content = fs.readFileSync(path.join(root, file));
    const text = () => content.toString('utf8');
    const mode = fs.statSync(path.join(root, file)).mode;
    if (file.endsWith('.ipynb')) write(file, clearOutputs(text()), mode);
    else write(file, content, mode);
  }
  write('package.json', studentPackageJson(fs.readFileSync(path.join(root, 'package.json'), 'utf8'), out));
  write('tsconfig.json', studentTsconfig(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'), out));
  write('README.md', studentReadme(root, fs.readFileSync(path.join(TEMPLATES, 'README.md'), 'utf8')));
  write('.ci/run', fs.readFileSync(path.join(TEMPLATES, 'ci-run')), 0o755);
  write('.github/workflows/grade.yml', fs.readFileSync(path.join(TEMPLATES, 'grade.yml')));
  write('release.json', releaseStamp(root));
  fs.appendFileSync(path.join(out, '.gitignore'), 'grade-report.json\n');
  return written.sort();
}

/**
 * What a release was made from: the workbook's version and the commit of the master copy (with
 * "+changes" when it had uncommitted changes), so that an instructor can tell two releases apart
 * and read CHANGELOG.md for what changed between them.
 */
function releaseStamp(root: string): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const git = (args: string[]) => {
    const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const commit = git(['rev-parse', 'HEAD']);
  const changed = git(['status', '--porcelain'])?.length ? '+changes' : '';
  return `${JSON.stringify({ workbook: name, version, commit: commit ? `${commit}${changed}` : 'unknown (not a git checkout)' }, null, 2)}\n`;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npm run release -- <dir>');
    process.exit(2);
  }
  try {
    const files = buildRelease(findRoot(__dirname), path.resolve(out));
    console.log(`Wrote the student release to ${path.resolve(out)}: ${files.length} files.`);
    console.log('Next: git init there, commit, and publish it (e.g. as a GitHub Classroom template).');
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
