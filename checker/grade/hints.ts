/**
 * Hints: each exercise README has a `## Hints` section of folded hints, from gentle to explicit,
 * each `<details><summary>Hint 1: its title</summary> ... </details>`, so that a reader opens them
 * one at a time. `npm run hint -- NN` shows the next one; which hints were shown is kept in
 * .cache/hints.json (git-ignored), so asking again moves one step further.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT, type Exercise } from '../../tooling/course';

/** One hint of an exercise. */
export interface Hint {
  /** The heading after `### `, e.g. "Hint 2: where the time goes". */
  title: string;
  /** The markdown below the heading. */
  body: string;
}

/** The hints of a README, in order; empty when it has no `## Hints` section. */
export function parseHints(markdown: string): Hint[] {
  const section = /^##\s+Hints\s*$([\s\S]*?)(?=^##\s|(?![\s\S]))/m.exec(markdown)?.[1] ?? '';
  return [...section.matchAll(/<details>\s*<summary>([\s\S]*?)<\/summary>([\s\S]*?)<\/details>/g)].map(([, title, body]) => ({
    title: title.trim(),
    body: body.trim(),
  }));
}

type ShownCounts = Record<string, number>;

/** Where the shown hints are remembered; `WORKBOOK_HINT_STATE` moves it (the tests use a temp file). */
function stateFile(root: string): string {
  return process.env.WORKBOOK_HINT_STATE ?? path.join(root, LAYOUT.cache, 'hints.json');
}

function readShown(root: string): ShownCounts {
  try {
    return JSON.parse(fs.readFileSync(stateFile(root), 'utf8')) as ShownCounts;
  } catch {
    return {};
  }
}

function writeShown(root: string, shown: ShownCounts): void {
  fs.mkdirSync(path.dirname(stateFile(root)), { recursive: true });
  fs.writeFileSync(stateFile(root), `${JSON.stringify(shown, null, 2)}\n`);
}

/** What `hint` shows: the hints to print and where they stand in the ladder. */
export interface HintStep {
  /** The hints to show (one, or all shown so far with `all`). */
  hints: { number: number; hint: Hint }[];
  /** How many hints the exercise has. */
  count: number;
  /** True when the last hint had been shown already before this call. */
  exhausted: boolean;
}

/**
 * Moves one step up the hint ladder of `exercise` and returns what to show.
 * @param options.all show every hint shown so far instead of the next one (does not move on).
 * @param options.reset forget which hints were shown, then show the first.
 */
export function nextHint(root: string, exercise: Exercise, options: { all?: boolean; reset?: boolean } = {}): HintStep {
  const hints = parseHints(fs.readFileSync(path.join(root, exercise.dir, exercise.hints), 'utf8'));
  const shown = readShown(root);
  if (options.reset) delete shown[exercise.id];
  const before = Math.min(shown[exercise.id] ?? 0, hints.length);
  if (options.all) {
    return { hints: hints.slice(0, Math.max(before, 1)).map((hint, i) => ({ number: i + 1, hint })), count: hints.length, exhausted: before >= hints.length };
  }
  const exhausted = before >= hints.length;
  const number = exhausted ? hints.length : before + 1;
  shown[exercise.id] = number;
  writeShown(root, shown);
  return { hints: hints.length ? [{ number, hint: hints[number - 1] }] : [], count: hints.length, exhausted };
}
