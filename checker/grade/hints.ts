/**
 * Hints: each exercise README has a `## Hints` section of folded hints, from gentle to explicit,
 * each `<details><summary>Hint 1: its title</summary> ... </details>`, so that a reader opens them
 * one at a time. A hint may end its title with the README items it is for, `(item 4)` or
 * `(items 3, 6)`. `npm run hint -- NN` shows the next one: the first not shown yet that is for the
 * README item of the first check that failed when the exercise was last graded, else the first
 * not shown yet. Which hints were shown, and that item, are kept in .cache/hints.json
 * (git-ignored), so that asking again moves one step further.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Exercise } from '../../tooling/course';
import { writeFileAtomic } from '../../tooling/files';

/** One hint of an exercise. */
export interface Hint {
  /** The text of its summary, e.g. "Hint 2: where the time goes (item 3)". */
  title: string;
  /** The markdown below the heading. */
  body: string;
  /** The README items it is for, from the end of its title (none: it does not say). */
  items: number[];
}

/** `(item 4)`, `(items 3, 6)` or `(items 3 and 6)` at the end of a hint's title. */
const ITEMS = /\s*\(items? (\d+(?:(?:, | and )\d+)*)\)$/;

/** The hints of a README, in order; empty when it has no `## Hints` section. */
export function parseHints(markdown: string): Hint[] {
  const section = /^##\s+Hints\s*$([\s\S]*?)(?=^##\s|(?![\s\S]))/m.exec(markdown)?.[1] ?? '';
  return [...section.matchAll(/<details>\s*<summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/g)].map(([, summary, body]) => {
    const title = summary.trim();
    return { title, body: body.trim(), items: (ITEMS.exec(title)?.[1].split(/, | and /) ?? []).map(Number) };
  });
}

/** A hint's title as shown: without "Hint N:" and without the items it is for. */
export const shownTitle = (hint: Hint): string => hint.title.replace(/^Hint \d+:?\s*/, '').replace(ITEMS, '');

/** What is kept of one exercise: the hints shown (by number), and the item its first failing check was for. */
interface ExerciseHints {
  shown: number[];
  failingItem?: number;
}

/** An older state file kept a count of hints shown per exercise. */
type State = Record<string, ExerciseHints | number>;

/** Where the state is kept; `WORKBOOK_HINT_STATE` moves it (the tests use a temp file). */
function stateFile(root: string): string {
  return process.env.WORKBOOK_HINT_STATE ?? path.join(root, LAYOUT.cache, 'hints.json');
}

function readState(root: string): Record<string, ExerciseHints> {
  let state: State = {};
  try {
    state = JSON.parse(fs.readFileSync(stateFile(root), 'utf8')) as State;
  } catch {
    // none yet
  }
  return Object.fromEntries(Object.entries(state).map(([id, kept]) => [id, typeof kept === 'number' ? { shown: Array.from({ length: kept }, (_, i) => i + 1) } : kept]));
}

function writeState(root: string, state: Record<string, ExerciseHints>): void {
  fs.mkdirSync(path.dirname(stateFile(root)), { recursive: true });
  writeFileAtomic(stateFile(root), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Remembers, for each graded exercise, the README item of its first failing check (`[n]` at the
 * start of its title), or that none failed: the next `npm run hint` starts from a hint for it.
 * @param firstFailures exercise id → the full title of its first failing check, or undefined
 */
export function noteFirstFailures(root: string, firstFailures: Record<string, string | undefined>): void {
  const state = readState(root);
  for (const [id, check] of Object.entries(firstFailures)) {
    const item = check === undefined ? undefined : /(?:^| › )\[(\d+)\] [^›]*$/.exec(check)?.[1];
    state[id] = { shown: state[id]?.shown ?? [], ...(item ? { failingItem: Number(item) } : {}) };
  }
  writeState(root, state);
}

/** What `hint` shows: the hints to print and where they stand in the ladder. */
export interface HintStep {
  /** The hints to show (one, or all shown so far with `all`). */
  hints: { number: number; hint: Hint }[];
  /** How many hints the exercise has. */
  count: number;
  /** True when every hint had been shown already before this call. */
  exhausted: boolean;
  /** The README item the hint shown was chosen for (the first its checks failed), if it was. */
  forItem?: number;
}

/**
 * Moves one step up the hint ladder of `exercise` and returns what to show.
 * @param options.all show every hint shown so far instead of the next one (does not move on).
 * @param options.reset forget which hints were shown, then show the first.
 */
export function nextHint(root: string, exercise: Exercise, options: { all?: boolean; reset?: boolean } = {}): HintStep {
  const hints = parseHints(fs.readFileSync(path.join(root, exercise.dir, exercise.hints), 'utf8'));
  const state = readState(root);
  const kept: ExerciseHints = state[exercise.id] ?? { shown: [] };
  if (options.reset) kept.shown = [];
  const numbered = hints.map((hint, i) => ({ number: i + 1, hint }));
  const shown = numbered.filter(({ number }) => kept.shown.includes(number));
  const exhausted = shown.length >= hints.length;
  if (options.all) return { hints: shown.length > 0 ? shown : numbered.slice(0, 1), count: hints.length, exhausted };
  const unshown = numbered.filter(({ number }) => !kept.shown.includes(number));
  const forItem = unshown.find(({ hint }) => kept.failingItem !== undefined && hint.items.includes(kept.failingItem));
  const next = forItem ?? unshown[0] ?? numbered.at(-1);
  if (next && !kept.shown.includes(next.number)) kept.shown.push(next.number);
  state[exercise.id] = kept;
  writeState(root, state);
  return { hints: next ? [next] : [], count: hints.length, exhausted, ...(forItem ? { forItem: kept.failingItem } : {}) };
}
