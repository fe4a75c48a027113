/**
 * What `npm run mutation` records, and how its survivors are accounted for.
 *
 * Per exercise, in its solution folder (paths from the manifest, tooling/course.ts):
 * - `solutions/NN-slug/stryker.json` ({@link MutationRecord}): the counts of the latest Stryker
 *   run and its surviving mutants, written by run.mts and committed;
 * - `solutions/NN-slug/stryker-equivalent.json` ({@link EquivalentMutant}[]): the survivors that
 *   no check can kill, reviewed by hand, each with the reason why no program that behaves that
 *   way is wrong;
 * - or an entry in this folder's `pending.json` (exercise id → why it has no current record: none
 *   yet, or one made before its solution or checks last changed).
 *
 * A survivor is named by its file, mutator, the code it replaced and its replacement
 * ({@link mutantKey}), not by its line, so that moving code does not unlist it; the line is kept
 * for the reader, and pairs survivors that share a key with their listings.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Exercise } from '../../../tooling/course';

/** A mutant that no check killed: it survived, or no check ran the code it changed. */
export interface Survivor {
  /** Relative to the exercise's solution folder. */
  file: string;
  line: number;
  /** Stryker's name of the mutation, e.g. "ConditionalExpression". */
  mutator: string;
  /** The code it replaced, with runs of white space made one space (cut at {@link SNIPPET_LENGTH}). */
  original: string;
  replacement: string;
  status: 'Survived' | 'NoCoverage';
}

/** How many mutants of a run ended how (Stryker's statuses). */
export interface MutantCounts {
  killed: number;
  timedOut: number;
  survived: number;
  noCoverage: number;
  /** Mutants that do not type-check: no points for such a program, so they count as caught, outside the score. */
  compileErrors: number;
  /** Mutants that broke the test run itself (outside the score, as Stryker counts them). */
  runtimeErrors: number;
}

/** `solutions/NN-slug/stryker.json`: the latest `npm run mutation` of an exercise. */
export interface MutationRecord {
  exercise: string;
  /** The command that made it. */
  command: string;
  strykerVersion: string;
  /** Of the solution and check files the run used ({@link fingerprint}): the record is stale when they changed. */
  fingerprint: string;
  /** Wall time of the Stryker run. */
  seconds: number;
  counts: MutantCounts;
  survivors: Survivor[];
}

/** One entry of `solutions/NN-slug/stryker-equivalent.json`. */
export interface EquivalentMutant {
  file: string;
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  /** One sentence: why no program that behaves this way is wrong. */
  reason: string;
}

/** Longest snippet of original code kept in a record. */
const SNIPPET_LENGTH = 120;

/** Makes one line of a snippet of code, as records keep it. */
export const snippet = (code: string): string => {
  const line = code.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH - 1)}…` : line;
};

/** What names a mutant across small code moves: its file, mutator, original code and replacement. */
const mutantKey = (m: Pick<Survivor, 'file' | 'mutator' | 'original' | 'replacement'>): string =>
  JSON.stringify([m.file, m.mutator, snippet(m.original), snippet(m.replacement)]);

/** Where the Stryker configuration, the records, the equivalent mutants and the pending list live. */
export function strykerFiles(root: string) {
  const dir = path.join(root, LAYOUT.proof, 'stryker');
  return {
    dir,
    config: path.join(dir, 'stryker.config.json'),
    pending: path.join(dir, 'pending.json'),
    result: (exercise: Exercise) => path.join(root, exercise.strykerRecord),
    equivalents: (exercise: Exercise) => path.join(root, exercise.strykerEquivalents),
    /** Stryker's own reports (JSON and HTML) and its sandbox, not committed. */
    reports: (exercise: Exercise) => path.join(root, LAYOUT.cache, 'mutation', exercise.id),
    sandbox: path.join(LAYOUT.cache, 'mutation', 'sandbox'),
  };
}

const readJson = <T>(file: string, fallback: T): T => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : fallback);

/** The recorded run of an exercise, if any. */
export const readRecord = (root: string, exercise: Exercise): MutationRecord | undefined =>
  readJson<MutationRecord | undefined>(strykerFiles(root).result(exercise), undefined);

/** The reviewed equivalent mutants of an exercise (none when it has no such file). */
export const readEquivalents = (root: string, exercise: Exercise): EquivalentMutant[] => readJson<EquivalentMutant[]>(strykerFiles(root).equivalents(exercise), []);

/** Exercise id → why it has no current record (none yet, or one older than its solution or checks). */
export const readPending = (root: string): Record<string, string> => readJson<Record<string, string>>(strykerFiles(root).pending, {});

/**
 * The files whose content decides a run's outcome, each with the role that names it in the
 * fingerprint (so that moving a file does not make a record stale): the mutated solution, the
 * solutions of the exercises it `uses` (its checks run them too), and its check files (the hidden
 * harness only where there is one, so that the records of exercises without one stay current).
 */
function fingerprintedFiles(root: string, exercise: Exercise, all: Exercise[]): [role: string, file: string][] {
  const solutionsOf = (e: Exercise) => e.files.map((file) => [`solution ${e.id}/${file}`, path.join(e.solutionDir, file)] as [string, string]);
  const used = all.filter((e) => exercise.uses.includes(e.id));
  const hiddenHarness: [string, string][] = fs.existsSync(path.join(root, exercise.hiddenHarness)) ? [['hidden harness', exercise.hiddenHarness]] : [];
  return [...solutionsOf(exercise), ...used.flatMap(solutionsOf), ['public checks', exercise.checks], ['hidden checks', exercise.hiddenChecks], ['harness', exercise.harness], ...hiddenHarness];
}

/** SHA-256 of {@link fingerprintedFiles} (line endings normalized; a missing file counts as empty). */
export function fingerprint(root: string, exercise: Exercise, all: Exercise[]): string {
  const hash = createHash('sha256');
  for (const [role, file] of fingerprintedFiles(root, exercise, all)) {
    const full = path.join(root, file);
    const text = fs.existsSync(full) ? fs.readFileSync(full, 'utf8').replace(/\r\n/g, '\n') : '';
    hash.update(role).update('\0').update(text).update('\0');
  }
  return hash.digest('hex');
}

/** The survivors of a run set against the reviewed list. */
export interface Accounting {
  /** Survivors listed as equivalent. */
  equivalent: Survivor[];
  /** Survivors neither killed nor listed: each needs a check (or, when no program could be wrong that way, a listing). */
  unaccounted: Survivor[];
  /** Listings that match no survivor: the mutant is killed now or the code changed; remove or update them. */
  stale: EquivalentMutant[];
}

/**
 * Pairs each survivor with a listing of the same {@link mutantKey}; when several share a key, the
 * nearest lines are paired first.
 */
export function account(survivors: Survivor[], listed: EquivalentMutant[]): Accounting {
  const open = [...listed];
  const result: Accounting = { equivalent: [], unaccounted: [], stale: [] };
  for (const survivor of survivors) {
    const candidates = open.filter((entry) => mutantKey(entry) === mutantKey(survivor));
    candidates.sort((a, b) => Math.abs(a.line - survivor.line) - Math.abs(b.line - survivor.line));
    const match = candidates[0];
    if (match) {
      open.splice(open.indexOf(match), 1);
      result.equivalent.push(survivor);
    } else {
      result.unaccounted.push(survivor);
    }
  }
  result.stale = open;
  return result;
}

/** Mutation scores of a run, in percent: over every mutant that type-checks, and over those that are not equivalent. */
export function scores(counts: MutantCounts, equivalents: number): { all: number; nonEquivalent: number } {
  const detected = counts.killed + counts.timedOut;
  const valid = detected + counts.survived + counts.noCoverage;
  const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.round((1000 * part) / whole) / 10);
  return { all: percent(detected, valid), nonEquivalent: percent(detected, valid - equivalents) };
}

/** Where a survivor is and what it does, for a person: `file:line Mutator: original → replacement`. */
export const describeSurvivor = (dir: string, s: Survivor): string =>
  `${path.join(dir, s.file).split(path.sep).join('/')}:${s.line} ${s.mutator}${s.status === 'NoCoverage' ? ' (no check runs it)' : ''}: \`${s.original}\` → \`${s.replacement}\``;
