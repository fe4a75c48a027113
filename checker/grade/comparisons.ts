/**
 * The test framework's comparisons said in plain words. An expectation that fails says
 * `expected [ 200, 400 ] to deeply equal [ 100, 200 ]` or `expected +0 to be 3 // Object.is equality`;
 * the student reads `got [200, 400], expected [100, 200]: the 1st is 200, not 100` and `got 0,
 * expected 3`. Lists of numbers are compared by where they part, runs shown as ranges
 * (../shared/sequences.ts). The check's own sentence before the comparison is kept. The checks'
 * config turns off the framework's elision of long values (`[ Array(40) ]`); a value too long to
 * show is cut here, and the cut is said.
 * @module
 */
import { compareSequences } from '../shared/sequences';

/** Longest value shown, in characters. */
const MAX_VALUE = 100;

/** The framework's words for a comparison, and ours. */
const RELATIONS: [RegExp, (got: string, expected: string) => string][] = [
  [/^(?:deeply |strictly )?equal$|^be$/, (got, expected) => `got ${got}, expected ${expected}`],
  [/^be close to$/, (got, expected) => `got ${got}, expected about ${expected}`],
  [/^be (?:greater than|above)$/, (got, expected) => `got ${got}, expected more than ${expected}`],
  [/^be (?:greater than or equal to|at least)$/, (got, expected) => `got ${got}, expected at least ${expected}`],
  [/^be (?:less than|below)$/, (got, expected) => `got ${got}, expected less than ${expected}`],
  [/^be (?:less than or equal to|at most)$/, (got, expected) => `got ${got}, expected at most ${expected}`],
];

const COMPARISON =
  /^expected (.+) to (deeply equal|strictly equal|equal|be close to|be greater than or equal to|be greater than|be less than or equal to|be less than|be above|be below|be at least|be at most|be) (.+?)(?:, received difference is .*| \/\/ Object\.is equality)?$/;

/** A value as the framework prints it, whole: brackets and braces balanced, quotes closed. */
function whole(value: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (const char of value) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if ('[{('.includes(char)) depth++;
    else if (']})'.includes(char) && --depth < 0) return false;
  }
  return depth === 0 && quote === undefined;
}

/** The numbers of a printed list of numbers (`[ 1, 2, +0 ]`), or undefined for any other value. */
function numbers(value: string): number[] | undefined {
  const inner = /^\[\s*(.*?)\s*\]$/.exec(value)?.[1];
  if (inner === undefined) return undefined;
  if (inner === '') return [];
  const items = inner.split(/\s*,\s*/);
  return items.every((item) => /^[+-]?\d+(?:\.\d+)?$/.test(item)) ? items.map(Number) : undefined;
}

/** A printed value as shown: `+0` as 0, cut when too long. */
function shown(value: string): string {
  const plain = value.replace(/(^|[\s[,(])\+0(?=$|[\s\],)])/g, '$10');
  return plain.length > MAX_VALUE ? `${plain.slice(0, MAX_VALUE - 1)}… (cut: ${plain.length} characters)` : plain;
}

/** One line of a failure message with its comparison said in plain words; other lines as they are. */
export function plainComparison(line: string): string {
  // The framework's part comes last; a check's sentence before it may itself say "expected".
  for (let start = line.lastIndexOf('expected '); start >= 0; start = start > 0 ? line.lastIndexOf('expected ', start - 1) : -1) {
    const match = COMPARISON.exec(line.slice(start));
    if (!match || !whole(match[1]) || !whole(match[3])) continue;
    const [, got, relation, expected] = match;
    const prefix = line.slice(0, start);
    const [gotNumbers, expectedNumbers] = [numbers(got), numbers(expected)];
    if (gotNumbers && expectedNumbers && /equal|^be$/.test(relation)) return prefix + compareSequences(gotNumbers, expectedNumbers);
    const say = RELATIONS.find(([pattern]) => pattern.test(relation))?.[1];
    return say ? prefix + say(shown(got), shown(expected)) : line;
  }
  return line;
}
