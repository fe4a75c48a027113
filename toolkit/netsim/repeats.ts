/**
 * Long runs of the same exchange, shortened: a heartbeat every 100 ms for a minute is 600 arrows
 * that say one thing. Used by {@link toMermaid} (option `shortenRepeats`) and by the grader's
 * timelines.
 * @module
 */

/** One stretch of a sequence: an item as it is, or a run of one repeated pattern, shortened. */
export type Stretch<T> =
  | { kind: 'item'; item: T }
  | {
      kind: 'repeats';
      /** The pattern's first occurrence, shown in full. */
      first: T[];
      /** The items left out between the first and the last occurrence. */
      omitted: T[];
      /** How many occurrences of the pattern they are. */
      times: number;
      /** The pattern's last occurrence, shown in full. */
      last: T[];
    };

/** Longest pattern looked for: a message and its reply, and a little more. */
const LONGEST_PATTERN = 4;

/**
 * Splits `items` into items and runs of a repeated pattern (one to four items long, the same
 * `signature` item for item) that occurs at least `atLeast` times in a row. Such a run keeps its
 * first and last occurrence and says what it leaves out between them.
 * @param items the sequence, in order
 * @param signature what makes two items "the same" (e.g. kind, sender, receiver and the payload's shape)
 * @param atLeast the fewest occurrences in a row worth shortening (at least 3)
 */
export function shortenRepeats<T>(items: readonly T[], signature: (item: T) => string, atLeast = 4): Stretch<T>[] {
  const sig = items.map(signature);
  const samePattern = (a: number, b: number, length: number) => {
    for (let j = 0; j < length; j++) if (sig[a + j] !== sig[b + j]) return false;
    return true;
  };
  const stretches: Stretch<T>[] = [];
  let i = 0;
  while (i < items.length) {
    let best = { length: 0, count: 0 };
    for (let length = 1; length <= LONGEST_PATTERN; length++) {
      let count = 1;
      while (i + (count + 1) * length <= items.length && samePattern(i, i + count * length, length)) count++;
      if (count >= Math.max(3, atLeast) && count * length > best.count * best.length) best = { length, count };
    }
    if (best.count === 0) {
      stretches.push({ kind: 'item', item: items[i] });
      i++;
      continue;
    }
    const end = i + best.count * best.length;
    stretches.push({
      kind: 'repeats',
      first: items.slice(i, i + best.length),
      omitted: items.slice(i + best.length, end - best.length),
      times: best.count - 2,
      last: items.slice(end - best.length, end),
    });
    i = end;
  }
  return stretches;
}

/** A payload's shape: its text with every number replaced, so that `{"seq":17}` and `{"seq":18}` are alike. */
export const shapeOf = (text: string): string => text.replace(/-?\d+(\.\d+)?/g, '#');
