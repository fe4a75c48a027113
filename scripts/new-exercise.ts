/**
 * `npm run new:exercise -- NN slug --lesson LL [--title "Title"]`: scaffolds a new exercise's two
 * folders from scripts/exercise-template/: `exercises/NN-slug/` (record, README with its sections
 * and numbered items, a starter that throws TODO, public checks and their harness) and
 * `solutions/NN-slug/` (the reference solution, hidden checks, the instructor record and a first
 * mutant). The scaffold passes `npm run check:exercise -- NN` as it is; the author then replaces
 * its placeholder task one working step at a time (docs/authoring.md).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRoot, LAYOUT, loadExercises, loadLessons } from '../tooling/course';

const TEMPLATE = path.join(__dirname, 'exercise-template');

/** What the scaffold is made from. */
export interface NewExercise {
  /** The exercise's number, one or two digits. */
  number: string;
  /** Its slug, kebab-case: `bounded-queue`. */
  slug: string;
  /** The lesson it practises, by number (`11`) or id (`11-backpressure`). */
  lesson: string;
  /** Its title; default the slug in words. */
  title?: string;
}

/** The files of `dir`, recursively, relative to it. */
const filesOf = (dir: string) =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));

/**
 * Writes the two folders of a new exercise into the workbook at `root`.
 * @returns the files written, relative to the root
 * @throws Error on a malformed number or slug, an unknown lesson, or an exercise that exists
 */
export function scaffoldExercise(root: string, wanted: NewExercise): string[] {
  if (!/^\d{1,2}$/.test(wanted.number)) throw new Error(`the number must be one or two digits, not "${wanted.number}"`);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(wanted.slug)) throw new Error(`the slug must be kebab-case (lower-case words and digits joined by "-"), not "${wanted.slug}"`);
  const number = wanted.number.padStart(2, '0');
  const id = `${number}-${wanted.slug}`;
  const lessons = loadLessons(root);
  const lesson = lessons.find((l) => l.id === wanted.lesson || l.number === wanted.lesson.padStart(2, '0'));
  if (!lesson) throw new Error(`no lesson "${wanted.lesson}"; the lessons are: ${lessons.map((l) => l.id).join(', ')}`);
  const taken = loadExercises(root).find((e) => e.number === number);
  if (taken) throw new Error(`exercise ${number} exists already: ${taken.id}`);
  const dirs = { exercise: path.join(LAYOUT.exercises, id), solution: path.join(LAYOUT.solutions, id) };
  for (const dir of Object.values(dirs)) if (fs.existsSync(path.join(root, dir))) throw new Error(`${dir} exists already`);

  const title = wanted.title ?? `${wanted.slug[0].toUpperCase()}${wanted.slug.slice(1).replaceAll('-', ' ')}`;
  const values: Record<string, string> = { NUMBER: number, ID: id, SLUG: wanted.slug, TITLE: title, LESSON: lesson.id };
  const fill = (text: string) => text.replace(/\{\{([A-Z]+)\}\}/g, (all, name: string) => values[name] ?? all);
  const written: string[] = [];
  for (const [part, dir] of Object.entries(dirs)) {
    for (const rel of filesOf(path.join(TEMPLATE, part))) {
      // starter.ts and solution.ts become the file the student edits, named after the slug.
      const name = rel.replace(/\.tmpl$/, '').replace(/^(starter|solution)\.ts$/, `${wanted.slug}.ts`);
      const target = path.join(dir, name);
      fs.mkdirSync(path.join(root, path.dirname(target)), { recursive: true });
      fs.writeFileSync(path.join(root, target), fill(fs.readFileSync(path.join(TEMPLATE, part, rel), 'utf8')));
      written.push(target);
    }
  }
  return written.sort();
}

function usage(): never {
  console.error('usage: npm run new:exercise -- NN slug --lesson LL [--title "Title"]');
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) usage();
  args.splice(at, 2);
  return value;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const lesson = option(args, '--lesson');
  const title = option(args, '--title');
  const [number, slug, ...rest] = args;
  if (!number || !slug || !lesson || rest.length > 0) usage();
  try {
    const written = scaffoldExercise(findRoot(__dirname), { number, slug, lesson, title });
    console.log(`Wrote ${written.length} files:\n${written.map((f) => `  ${f}`).join('\n')}`);
    console.log(`\nNext: npm run check:exercise -- ${number.padStart(2, '0')} (it passes on the scaffold), then replace the placeholder task; see docs/authoring.md.`);
  } catch (error) {
    console.error(`new:exercise: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
