/**
 * Sequences of numbers said the short way, for failure messages: runs of consecutive numbers as
 * ranges ("1-16"), and two sequences compared by where they part ("got [1-16], then nothing;
 * expected [1-40]"). The grader says every comparison of two lists of numbers this way
 * (../grade/comparisons.ts); a check may use it in its own messages.
 * @module
 */

/** Parts (a number or a range) shown before the rest of a sequence is summed up. */
const MAX_PARTS = 12;

/**
 * The numbers in order, each run of three or more consecutive ones as a range: `1-16, 18, 20-40`.
 * A long list that does not shrink so is cut, with how many numbers it has.
 */
export function ranges(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let end = i;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end] + 1) end++;
    if (end - i >= 2) parts.push(`${numbers[i]}-${numbers[end]}`);
    else for (let k = i; k <= end; k++) parts.push(String(numbers[k]));
    i = end + 1;
  }
  return parts.length > MAX_PARTS ? `${parts.slice(0, MAX_PARTS - 2).join(', ')}, … (${numbers.length} in all)` : parts.join(', ');
}

/** A sequence in brackets, or "nothing" when it is empty. */
const said = (numbers: readonly number[]) => (numbers.length === 0 ? 'nothing' : `[${ranges(numbers)}]`);

/**
 * Two sequences of numbers compared in words: what came, what was expected, and where they part.
 * E.g. `got [1-16], then nothing; expected [1-40]`, or `got [1, 3, 2], expected [1-3]: the 2nd is 3, not 2`.
 */
export function compareSequences(actual: readonly number[], expected: readonly number[]): string {
  const at = actual.findIndex((n, i) => n !== expected[i]);
  if (at < 0) return `got ${said(actual)}${actual.length > 0 ? ', then nothing' : ''}; expected ${said(expected)}`;
  const extra = actual.length - expected.length;
  const where = at >= expected.length ? `${extra} more than expected, from the ${ordinal(at + 1)} on` : `the ${ordinal(at + 1)} is ${actual[at]}, not ${expected[at]}`;
  return `got ${said(actual)}, expected ${said(expected)}: ${where}`;
}

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st. */
function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
