/**
 * The course manifest: what lessons and exercises exist and where each of their parts lives.
 *
 * Every tool (grader, gradebook, site, release, proofs) reads paths and facts from here; none
 * rebuilds a path from folder names of its own (tests/layout.test.ts holds them to it).
 * - `course.json`: the course's title, subtitle and objectives, and the repository it is published
 *   from, if any (see {@link Repository}).
 * - `lessons/NN-slug.ipynb`: the lessons, discovered by name.
 * - An exercise is two folders ({@link EXERCISE_FILES} names their files):
 *   - `exercises/NN-slug/`, everything a student gets: the record `exercise.json` (see
 *     {@link ExerciseRecord}), the README, the starters, the public checks `checks.test.ts` and
 *     what public and hidden checks share, `harness.ts`;
 *   - `solutions/NN-slug/`, everything the instructor keeps: the reference solution, the hidden
 *     checks `hidden.test.ts` and what only they use, `hidden-harness.ts` (a model of the README's
 *     rules, say, that would give a student the solution), the mutants under `mutants/`, the instructor-only part of the record
 *     `instructor.json` (which check catches each mutant), the Stryker record `stryker.json` and the
 *     reviewed equivalent mutants `stryker-equivalent.json`.
 *   Adding an exercise is adding those two folders (`npm run new:exercise` scaffolds them).
 *
 * Grading reads only the exercise records ({@link loadExercises}): editing a lesson cannot break it.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { joinText, type Notebook } from './notebook';

/** Where each part of the workbook lives, relative to its root. The one place these names are written. */
export const LAYOUT = {
  courseFile: 'course.json',
  lessons: 'lessons',
  quiz: 'lessons/quiz.json',
  /** The mermaid sources of the diagrams in the lessons' markdown cells, one folder per lesson. */
  lessonDiagrams: 'lessons/diagrams',
  exercises: 'exercises',
  solutions: 'solutions',
  /** What the check files of every exercise share: the canaries, the netsim trace. */
  checkSupport: 'checker/shared',
  grader: 'checker/grade',
  /** The submission's own process and its boundary with the checks (the final grade). */
  isolation: 'checker/isolate',
  gradebook: 'checker/class',
  proof: 'checker/proof',
  fixtures: 'checker/proof/fixtures',
  toolkit: 'toolkit',
  tooling: 'tooling',
  site: 'site',
  siteOutput: 'site/_site',
  siteCache: '.cache/site',
  scripts: 'scripts',
  tests: 'tests',
  cache: '.cache',
  /** The dev container that GitHub Codespaces opens the workbook in. */
  devcontainer: '.devcontainer/devcontainer.json',
} as const;

/** The name of an exercise's record file, inside its folder. */
const RECORD_FILE = 'exercise.json';

/** The names of an exercise's files in its two folders (the student's and the instructor's). */
export const EXERCISE_FILES = {
  /** In `exercises/NN-slug/`: the public checks. */
  checks: 'checks.test.ts',
  /** In `exercises/NN-slug/`: what the public and hidden checks share, when they share anything. */
  harness: 'harness.ts',
  /** In `solutions/NN-slug/`: the hidden checks. */
  hiddenChecks: 'hidden.test.ts',
  /**
   * In `solutions/NN-slug/`: what only the hidden checks use, when they use anything the students
   * must not read (a model of the README's rules, which would be close to a solution).
   */
  hiddenHarness: 'hidden-harness.ts',
  /** In `solutions/NN-slug/`: the instructor-only part of the record (see {@link instructorSchema}). */
  instructorRecord: 'instructor.json',
  /** In `solutions/NN-slug/`: one folder per mutant. */
  mutants: 'mutants',
  /** In `solutions/NN-slug/`: the latest Stryker run (checker/proof/stryker/record.ts). */
  strykerRecord: 'stryker.json',
  /** In `solutions/NN-slug/`: the survivors of that run reviewed as equivalent, each with its reason. */
  strykerEquivalents: 'stryker-equivalent.json',
} as const;

/** Outside services an exercise's checks may need; without them the checks report "not run". */
const SERVICES = ['rabbitmq', 'redis'] as const;
export type Service = (typeof SERVICES)[number];

const ID = /^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The schema of `exercises/NN-slug/exercise.json`. */
const recordSchema = z.strictObject({
  /** The exercise's title; its README starts with `# Exercise NN: <title>`. */
  title: z.string().min(1),
  /** The lesson it practises, as a lesson id (`NN-slug`). */
  lesson: z.string().regex(ID, 'expected a lesson id such as "03-delivery-guarantees"'),
  points: z.int().positive(),
  /** The language the student writes. */
  language: z.enum(['typescript', 'python']).default('typescript'),
  requires: z.array(z.enum(SERVICES)).default([]),
  /**
   * The least time each of its check files gets, when the grader's default is too short for what
   * the checks start (a database engine that takes seconds to boot), or for what they do with the
   * code (100,000 items through exercise 12's queue, each a message to its process in the final grade).
   * Never shortens a longer limit.
   */
  timeLimitSeconds: z.number().positive().optional(),
  /** Other exercises whose code this one's checks run too (03 runs behind 02's sender and receiver); the student's code may import theirs. */
  uses: z.array(z.string().regex(ID, 'expected an exercise id such as "02-at-least-once"')).default([]),
  /**
   * What the student's code may import besides Node's built-in modules and the files of its own
   * folder: toolkit modules (`toolkit/netsim`) and npm packages (`amqplib`).
   */
  imports: z.array(z.string().regex(/^(?:toolkit\/[a-z0-9-]+|(?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*)$/, 'expected a toolkit module such as "toolkit/netsim" or an npm package name')).default([]),
  /** The files the student edits, relative to the exercise folder. */
  files: z.array(z.string().regex(/^[a-z0-9_-]+\.(?:ts|py)$/, 'expected a file name such as "retry.ts"')).min(1),
  /**
   * The values each file must export for the checks (a file's name → the names), as its starter
   * declares them: a submission that lacks one is told so before any check runs.
   */
  exports: z.record(z.string(), z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/))).default({}),
  /** The file, relative to the exercise folder, whose `## Hints` section holds the hint ladder. */
  hints: z.string().default('README.md'),
});
export type ExerciseRecord = z.infer<typeof recordSchema>;

/** The schema of `solutions/NN-slug/instructor.json`, the part of the record students never get. */
const instructorSchema = z.strictObject({
  /**
   * Plausible wrong programs, each a folder `solutions/NN-slug/mutants/<name>/`, and the full
   * title of the check that must catch it.
   */
  mutants: z.array(z.strictObject({ name: z.string().regex(NAME), caughtBy: z.string().min(1) })).default([]),
});

/** A lesson notebook, `lessons/NN-slug.ipynb`. */
export interface Lesson {
  /** Two-digit number that orders the lessons, e.g. "01". */
  number: string;
  /** The file name without number and extension, e.g. "message-passing". */
  slug: string;
  /** `NN-slug`, the lesson's id in URLs and commands. */
  id: string;
  /** Path of the notebook relative to the root. */
  file: string;
  /** The notebook's first markdown heading. */
  title: string;
}

/** A mutant of an exercise: a plausible wrong program that a named check must catch. */
export interface Mutant {
  name: string;
  /** The full title of the check that catches it ("describe › it"). */
  caughtBy: string;
  /** Its folder, relative to the root. */
  dir: string;
}

/** An exercise: its record, and where each of its parts lives (paths relative to the root). */
export interface Exercise extends ExerciseRecord {
  number: string;
  slug: string;
  /** `NN-slug`: the name of its folders and check files. */
  id: string;
  /** Folder of the starter code. */
  dir: string;
  /** Folder of the reference solution. */
  solutionDir: string;
  readme: string;
  /** The record, `exercise.json`. */
  record: string;
  /** The public checks (shipped to students). */
  checks: string;
  /** The hidden checks (kept by the instructor; a student release has no such file). */
  hiddenChecks: string;
  /** What only the hidden checks use, when they use anything (kept by the instructor, like them). */
  hiddenHarness: string;
  /** What the public and hidden checks share, when they share anything. */
  harness: string;
  /** The instructor-only part of the record (absent from a student release: no mutants then). */
  instructorRecord: string;
  mutants: Mutant[];
  mutantsDir: string;
  /** The latest Stryker run of the solution. */
  strykerRecord: string;
  /** Its survivors reviewed as equivalent mutants. */
  strykerEquivalents: string;
}

/**
 * The GitHub repository the course is published from (course.json's `repository`): the site links
 * each page to its source there ("Edit this page"), to a new issue ("Report a problem") and, when
 * the course has a dev container, to a codespace.
 */
export interface Repository {
  /** `https://github.com/OWNER/NAME`. */
  url: string;
  /** The branch the site is built from (default `main`). */
  branch: string;
}

const repositorySchema = z.strictObject({
  url: z
    .string()
    .transform((url) => url.replace(/\.git$|\/+$/g, ''))
    .pipe(z.string().regex(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/, 'expected a GitHub repository address such as "https://github.com/my-org/course"')),
  branch: z.string().regex(/^[\w./-]+$/, 'expected a branch name such as "main"').default('main'),
});

const courseSchema = z.object({
  title: z.string().min(1),
  subtitle: z.string().default(''),
  objectives: z.array(z.string()).default([]),
  repository: repositorySchema.optional(),
});

/** The whole course. */
export interface Course {
  root: string;
  title: string;
  subtitle: string;
  objectives: string[];
  /** Where the course is published from, when course.json says so. */
  repository?: Repository;
  lessons: Lesson[];
  exercises: Exercise[];
}

/** A manifest file that does not say what it must; the message names the file and the field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const NUMBERED = /^(\d{2})-([a-z0-9-]+)$/;

/** The workbook root: the nearest folder at or above `start` that has a course.json. */
export function findRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, LAYOUT.courseFile))) return dir;
    if (path.dirname(dir) === dir) throw new ManifestError(`no ${LAYOUT.courseFile} found at or above ${start}`);
  }
}

function readJson(file: string, root: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestError(`${path.relative(root, file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads and validates one record file with `schema`; `what` names the kind of file in the error. */
function parseWith<T>(schema: z.ZodType<T>, record: unknown, where: string, what: string): T {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(the file)'}: ${issue.message}`);
  throw new ManifestError(`${where} is not a valid ${what}:\n${problems.join('\n')}`);
}

function toExercise(root: string, id: string): Exercise {
  const [, number, slug] = NUMBERED.exec(id) as RegExpExecArray;
  const dir = path.join(LAYOUT.exercises, id);
  const solutionDir = path.join(LAYOUT.solutions, id);
  const record = path.join(dir, RECORD_FILE);
  const facts = parseWith(recordSchema, readJson(path.join(root, record), root), record, 'exercise record');
  const instructorRecord = path.join(solutionDir, EXERCISE_FILES.instructorRecord);
  const instructor = fs.existsSync(path.join(root, instructorRecord))
    ? parseWith(instructorSchema, readJson(path.join(root, instructorRecord), root), instructorRecord, 'instructor record')
    : { mutants: [] };
  const mutantsDir = path.join(solutionDir, EXERCISE_FILES.mutants);
  return {
    ...facts,
    number,
    slug,
    id,
    dir,
    solutionDir,
    readme: path.join(dir, 'README.md'),
    record,
    checks: path.join(dir, EXERCISE_FILES.checks),
    hiddenChecks: path.join(solutionDir, EXERCISE_FILES.hiddenChecks),
    hiddenHarness: path.join(solutionDir, EXERCISE_FILES.hiddenHarness),
    harness: path.join(dir, EXERCISE_FILES.harness),
    instructorRecord,
    mutants: instructor.mutants.map((m) => ({ ...m, dir: path.join(mutantsDir, m.name) })),
    mutantsDir,
    strykerRecord: path.join(solutionDir, EXERCISE_FILES.strykerRecord),
    strykerEquivalents: path.join(solutionDir, EXERCISE_FILES.strykerEquivalents),
  };
}

/** The check files of an exercise's two folders (public checks and harness, hidden checks and harness): never code under test. */
export const checkFilesOf = (exercise: Exercise): string[] => [exercise.checks, exercise.harness, exercise.hiddenChecks, exercise.hiddenHarness];

const CHECK_FILE_NAMES: readonly string[] = [EXERCISE_FILES.checks, EXERCISE_FILES.harness, EXERCISE_FILES.hiddenChecks, EXERCISE_FILES.hiddenHarness];

/** Whether `name`, a file of an exercise's folder (student's or instructor's), is one of its check files rather than code. */
export const isCheckFileName = (name: string): boolean => CHECK_FILE_NAMES.includes(name);

/** The exercises, in order, from their records. Reads nothing of the lessons. */
export function loadExercises(root: string = findRoot()): Exercise[] {
  const dir = path.join(root, LAYOUT.exercises);
  if (!fs.existsSync(dir)) return [];
  const exercises = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && NUMBERED.test(entry.name) && fs.existsSync(path.join(dir, entry.name, RECORD_FILE)))
    .map((entry) => entry.name)
    .sort()
    .map((id) => toExercise(root, id));
  const ids = new Set(exercises.map((e) => e.id));
  for (const exercise of exercises) {
    const unknown = exercise.uses.filter((id) => !ids.has(id));
    if (unknown.length > 0) throw new ManifestError(`${exercise.record}: uses ${unknown.join(', ')}, which is not an exercise`);
  }
  return exercises;
}

function firstHeading(markdown: string): string | undefined {
  return /^#\s+(.+?)\s*$/m.exec(markdown)?.[1];
}

function notebookTitle(file: string, root: string): string {
  const notebook = readJson(file, root) as Notebook;
  for (const cell of notebook.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const title = firstHeading(joinText(cell.source));
    if (title) return title;
  }
  throw new ManifestError(`${path.relative(root, file)}: no markdown heading to use as the lesson title`);
}

/** The lesson notebooks, `lessons/NN-slug.ipynb`, in order, with their titles. */
export function loadLessons(root: string = findRoot()): Lesson[] {
  const dir = path.join(root, LAYOUT.lessons);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .flatMap((name) => {
      const match = NUMBERED.exec(name.replace(/\.ipynb$/, ''));
      if (!match) return [];
      const file = path.join(LAYOUT.lessons, name);
      return [{ number: match[1], slug: match[2], id: `${match[1]}-${match[2]}`, file, title: notebookTitle(path.join(root, file), root) }];
    });
}

/** Reads the whole course at `root` (default: the workbook this file belongs to). */
export function loadCourse(root: string = findRoot()): Course {
  const meta = parseWith(courseSchema, readJson(path.join(root, LAYOUT.courseFile), root), LAYOUT.courseFile, 'course file');
  return {
    root,
    title: meta.title,
    subtitle: meta.subtitle,
    objectives: meta.objectives,
    ...(meta.repository ? { repository: meta.repository } : {}),
    lessons: loadLessons(root),
    exercises: loadExercises(root),
  };
}

/** "Exercise 03: Exactly-once processing": how its README's heading and every page name an exercise. */
export const exerciseTitle = (exercise: Pick<Exercise, 'number' | 'title'>): string => `Exercise ${exercise.number}: ${exercise.title}`;

/** A step of the course in reading order: a lesson, or an exercise. */
export type CourseStep = { kind: 'lesson'; lesson: Lesson } | { kind: 'exercise'; exercise: Exercise };

/**
 * The course in reading order: each lesson, then the exercises that practise it (their records
 * name it), in their own order; exercises whose lesson the course does not have come last.
 */
export function readingOrder(course: Pick<Course, 'lessons' | 'exercises'>): CourseStep[] {
  const lessonIds = new Set(course.lessons.map((lesson) => lesson.id));
  const exercisesOf = (id: string): CourseStep[] => course.exercises.filter((e) => e.lesson === id).map((exercise) => ({ kind: 'exercise', exercise }));
  return [
    ...course.lessons.flatMap((lesson): CourseStep[] => [{ kind: 'lesson', lesson }, ...exercisesOf(lesson.id)]),
    ...course.exercises.filter((e) => !lessonIds.has(e.lesson)).map((exercise): CourseStep => ({ kind: 'exercise', exercise })),
  ];
}

/**
 * Finds an exercise by number ("3", "03"), slug ("retry-backoff") or id ("08-retry-backoff").
 * @throws ManifestError listing the known exercises when nothing matches.
 */
export function findExercise(exercises: Exercise[], query: string): Exercise {
  const wanted = query.trim().toLowerCase();
  const found = exercises.find((e) => e.id === wanted || e.slug === wanted || e.number === wanted.padStart(2, '0'));
  if (!found) {
    throw new ManifestError(`no exercise "${query}"; the exercises are: ${exercises.map((e) => e.id).join(', ') || 'none'}`);
  }
  return found;
}
