/**
 * Writes the student release of the workbook: a self-contained repository with the lessons
 * (outputs cleared), the exercise starters, the public checks, the grading command, the toolkit,
 * the site sources, a student README and CI, and none of: solutions/, hidden checks, mutants,
 * fixtures, the grader's own tests, instructor scripts.
 *
 *   npm run release -- <dir>      (the folder must not exist, or be empty)
 *
 * What goes in is an explicit list (INCLUDE, GRADER_FILES), filtered by EXCLUDE; the release test
 * (tests/release.test.ts) proves that no solution leaks.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot } from '../toolkit/course';

/** Files and folders copied as they are (minus EXCLUDE), relative to the root. */
const INCLUDE = [
  '.gitignore',
  '.puppeteerrc.cjs',
  'course.json',
  'package-lock.json',
  'typedoc.json',
  'lessons',
  'exercises',
  'toolkit',
  'site',
  'scripts/kernel',
  'scripts/notebooks',
  'checker/checks',
];

/** The grading command: what `npm run grade` and `npm run hint` need, and nothing else of checker/. */
const GRADER_FILES = [
  'cli.ts',
  'grade.ts',
  'grading-reporter.ts',
  'hints.ts',
  'messages.ts',
  'output.ts',
  'repeat-setup.ts',
  'run-checks.ts',
  'type-check.ts',
  'vitest.checks.mts',
  'watch.ts',
].map((name) => `checker/${name}`);

/** Never copied, wherever they are (paths relative to the root, with forward slashes). */
const EXCLUDE: RegExp[] = [
  /(^|\/)(node_modules|\.cache|\.ipynb_checkpoints|__pycache__)(\/|$)/,
  /^site\/(_site|test|fixtures)(\/|$)/,
  /^site\/bench\.ts$/,
  // Tests of the workbook itself (they need what a release leaves out); the public checks stay.
  /^(?!checker\/checks\/).*\.test\.ts$/,
];

/** The npm scripts students get; the others (tests, instructor tools, benches of the grader) stay home. */
const STUDENT_SCRIPTS = ['postinstall', 'kernel:install', 'start', 'typecheck', 'grade', 'hint', 'site', 'site:serve', 'docs', 'bench:netsim', 'bench:broker'];

/** The templates of the files written for students (README, CI). */
const TEMPLATES = path.join(__dirname, 'release');

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Every file under `rel` (a file or folder relative to `root`) that EXCLUDE lets through. */
function listFiles(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!fs.existsSync(full)) return [];
  const files = fs.statSync(full).isDirectory()
    ? fs.readdirSync(full, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => toPosix(path.relative(root, path.join(e.parentPath, e.name))))
    : [rel];
  return files.filter((file) => !EXCLUDE.some((pattern) => pattern.test(file))).sort();
}

/** A notebook with every code cell's outputs and execution count cleared. */
export function clearOutputs(text: string): string {
  const notebook = JSON.parse(text) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

function studentPackageJson(text: string): string {
  const pkg = JSON.parse(text) as { scripts: Record<string, string> };
  pkg.scripts = Object.fromEntries(Object.entries(pkg.scripts).filter(([name]) => STUDENT_SCRIPTS.includes(name)));
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The tsconfig with only the folders a release has. */
function studentTsconfig(text: string, out: string): string {
  const config = JSON.parse(text) as { include: string[]; exclude: string[] };
  config.include = config.include.filter((entry) => fs.existsSync(path.join(out, entry)));
  config.exclude = config.exclude.filter((entry) => !entry.startsWith('checker/fixtures'));
  return `${JSON.stringify(config, null, 2)}\n`;
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

  for (const file of [...INCLUDE.flatMap((rel) => listFiles(root, rel)), ...GRADER_FILES]) {
    const content = fs.readFileSync(path.join(root, file));
    write(file, file.endsWith('.ipynb') ? clearOutputs(content.toString('utf8')) : content, fs.statSync(path.join(root, file)).mode);
  }
  write('package.json', studentPackageJson(fs.readFileSync(path.join(root, 'package.json'), 'utf8')));
  write('tsconfig.json', studentTsconfig(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'), out));
  write('README.md', fs.readFileSync(path.join(TEMPLATES, 'README.md')));
  write('.ci/run', fs.readFileSync(path.join(TEMPLATES, 'ci-run')), 0o755);
  write('.github/workflows/grade.yml', fs.readFileSync(path.join(TEMPLATES, 'grade.yml')));
  fs.appendFileSync(path.join(out, '.gitignore'), 'grade-report.json\n');
  return written.sort();
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
