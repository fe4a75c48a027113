/**
 * The course manifest: what lessons and exercises exist, discovered from the files themselves.
 *
 * The grading command, the site and the tests all read the course through {@link loadCourse}, so
 * adding a lesson is adding `lessons/NN-slug.ipynb`, and adding an exercise is adding
 * `exercises/NN-slug/` (README.md + starter), `solutions/NN-slug/`, `checker/checks/NN-slug.test.ts` (public
 * checks) and `checker/hidden/NN-slug.test.ts` (hidden checks).
 * `course.json` holds only what files cannot tell: the course's title and objectives.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';

/** A lesson notebook, `lessons/NN-slug.ipynb`. */
export interface Lesson {
  /** Two-digit number that orders the lessons, e.g. "01". */
  number: string;
  /** The file name without number and extension, e.g. "message-passing". */
  slug: string;
  /** `NN-slug`, the lesson's id in URLs and commands. */
  id: string;
  /** Path of the notebook relative to the repository root. */
  file: string;
  /** The notebook's first markdown heading. */
  title: string;
}

/** An exercise, `exercises/NN-slug/` with its solution and its checks. */
export interface Exercise {
  number: string;
  slug: string;
  /** `NN-slug`: the folder name under exercises/ and solutions/, and the check file's name. */
  id: string;
  /** The README's first heading. */
  title: string;
  /** Points the exercise is worth: `points: N` in a comment of the README, else 10. */
  points: number;
  /** Outside services its checks need, from `requires: a, b` in a comment of the README (e.g. "rabbitmq"). */
  requires: string[];
  /** Folder of the starter code, relative to the root. */
  dir: string;
  /** Folder of the reference solution, relative to the root. */
  solutionDir: string;
  /** The exercise's README, relative to the root. */
  readme: string;
  /** The public checks (vitest, shipped to students), relative to the root. */
  checks: string;
  /**
   * The hidden checks (vitest, kept by the instructor for the final grade), relative to the root:
   * `checker/hidden/NN-slug.test.ts`. A student release has no such file.
   */
  hiddenChecks: string;
  /** The `.ts` files a student edits (relative to the exercise folder), tests excluded. */
  files: string[];
}

/** The whole course. */
export interface Course {
  root: string;
  title: string;
  subtitle: string;
  objectives: string[];
  lessons: Lesson[];
  exercises: Exercise[];
}

const NUMBERED = /^(\d{2})-([a-z0-9-]+)$/;

/** The repository root: the nearest folder above this file that has a course.json. */
export function findRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'course.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no course.json found above ${start}`);
  }
}

function firstHeading(markdown: string): string | undefined {
  return /^#\s+(.+?)\s*$/m.exec(markdown)?.[1];
}

function notebookTitle(file: string): string {
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const title = firstHeading(Array.isArray(cell.source) ? cell.source.join('') : cell.source);
    if (title) return title;
  }
  throw new Error(`${file}: no markdown heading to use as the lesson title`);
}

function listLessons(root: string): Lesson[] {
  const dir = path.join(root, 'lessons');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .flatMap((name) => {
      const match = NUMBERED.exec(name.replace(/\.ipynb$/, ''));
      if (!match) return [];
      const file = path.join('lessons', name);
      return [{ number: match[1], slug: match[2], id: `${match[1]}-${match[2]}`, file, title: notebookTitle(path.join(root, file)) }];
    });
}

function listExercises(root: string): Exercise[] {
  const dir = path.join(root, 'exercises');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && NUMBERED.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((id) => {
      const [, number, slug] = NUMBERED.exec(id) as RegExpExecArray;
      const readme = path.join('exercises', id, 'README.md');
      const text = fs.existsSync(path.join(root, readme)) ? fs.readFileSync(path.join(root, readme), 'utf8') : '';
      const points = Number(/points:\s*(\d+)/.exec(text)?.[1] ?? 10);
      const requires = (/requires:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(text)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const files = fs
        .readdirSync(path.join(root, 'exercises', id))
        .filter((name) => name.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(name))
        .sort();
      return {
        number,
        slug,
        id,
        title: firstHeading(text) ?? slug,
        points,
        requires,
        dir: path.join('exercises', id),
        solutionDir: path.join('solutions', id),
        readme,
        checks: path.join('checker', 'checks', `${id}.test.ts`),
        hiddenChecks: path.join('checker', 'hidden', `${id}.test.ts`),
        files,
      };
    });
}

/** Reads the course from the repository at `root` (default: the one this file belongs to). */
export function loadCourse(root: string = findRoot()): Course {
  const meta = JSON.parse(fs.readFileSync(path.join(root, 'course.json'), 'utf8')) as {
    title: string;
    subtitle?: string;
    objectives?: string[];
  };
  return {
    root,
    title: meta.title,
    subtitle: meta.subtitle ?? '',
    objectives: meta.objectives ?? [],
    lessons: listLessons(root),
    exercises: listExercises(root),
  };
}

/**
 * Finds an exercise by number ("3", "03"), slug ("retry-backoff") or id ("03-retry-backoff").
 * @throws Error listing the known exercises when nothing matches.
 */
export function findExercise(course: Course, query: string): Exercise {
  const wanted = query.trim().toLowerCase();
  const found = course.exercises.find(
    (e) => e.id === wanted || e.slug === wanted || e.number === wanted.padStart(2, '0'),
  );
  if (!found) {
    throw new Error(`no exercise "${query}"; known: ${course.exercises.map((e) => e.id).join(', ') || 'none'}`);
  }
  return found;
}
