/**
 * The numbered items of an exercise README's "What the checks look for", and which checks cover
 * each: a check's title starts with `[n]`, the item it checks. `npm run grade -- NN` lists every
 * item with the public checks that cover it, and says "checked in the final grade" for an item
 * only hidden checks cover, so that a student sees what is not yet checked by the public ones. Where
 * the hidden checks ran (the instructor's copy), an item with a failed hidden check is failed,
 * marked `[hidden]`, even when its public checks passed.
 * @module
 */

/** One numbered item of the README. */
export interface ReadmeItem {
  number: number;
  /** Its text, on one line. */
  text: string;
}

/** What the checks of a grading run say about one item. */
export interface ItemCoverage extends ReadmeItem {
  /** Its public checks, and how many of them passed (0 when the code was not run). */
  public: { passed: number; total: number };
  /** How many hidden checks also cover it (0 in a student release, which has none). */
  hidden: number;
  /** Whether the checks ran (not when the code was refused, does not type-check or does not exist). */
  ran: boolean;
  /** Its public checks that could not run (a service went away while they ran). */
  notRun: number;
  /** How many of those hidden checks failed in this run (0 when they did not run). */
  hiddenFailed: number;
}

/** The section's heading, as every exercise README has it. */
const SECTION = '## What the checks look for';

/** The numbered items of a README's "What the checks look for" (none when it has no such section). */
export function readmeItems(readme: string): ReadmeItem[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start < 0) return [];
  const section = readme.slice(start + SECTION.length + 2).split(/\n## /)[0];
  const items: ReadmeItem[] = [];
  // An item goes on over the indented lines right after it.
  let open = false;
  for (const line of section.split('\n')) {
    const numbered = /^(\d+)\.\s+(.*)$/.exec(line);
    if (numbered) items.push({ number: Number(numbered[1]), text: numbered[2].trim() });
    else if (open && /^\s+\S/.test(line)) items[items.length - 1].text += ` ${line.trim()}`;
    open = numbered !== null || (open && /^\s+\S/.test(line));
  }
  return items;
}

/** The item a check's full title names (`describe › [3] ...` or `describe > [3] ...`), if any. */
function itemOf(fullTitle: string): number | undefined {
  const last = fullTitle.split(/ [>›] /).pop() ?? '';
  const number = /^\[(\d+)\] /.exec(last)?.[1];
  return number === undefined ? undefined : Number(number);
}

/** The same full title whichever separator it was written with. */
const normal = (fullTitle: string) => fullTitle.split(/ [>›] /).join(' › ');

/**
 * Each item with the public checks that cover it and how many passed, and how many hidden checks
 * cover it and how many of those failed.
 * @param publicTitles the full titles of the public checks
 * @param hiddenTitles the full titles of the hidden checks (none in a student release)
 * @param failed the checks that failed: full title, and whether it is a hidden one
 * @param ran whether the checks ran at all (not when the code was refused, does not type-check or does not exist)
 * @param notRun the full titles of the checks that could not run (among `failed`)
 */
export function itemCoverage(
  items: ReadmeItem[],
  publicTitles: string[],
  hiddenTitles: string[],
  failed: { check: string; hidden: boolean }[],
  ran: boolean,
  notRun: string[] = [],
): ItemCoverage[] {
  const failedSet = (hidden: boolean) => new Set(failed.filter((f) => f.hidden === hidden).map((f) => normal(f.check)));
  const [failedPublic, failedHidden] = [failedSet(false), failedSet(true)];
  const notRunSet = new Set(notRun.map(normal));
  return items.map((item) => {
    const mine = publicTitles.filter((title) => itemOf(title) === item.number);
    const hidden = hiddenTitles.filter((title) => itemOf(title) === item.number);
    const passed = ran ? mine.filter((title) => !failedPublic.has(normal(title))).length : 0;
    const hiddenFailed = ran ? hidden.filter((title) => failedHidden.has(normal(title))).length : 0;
    const notRunHere = ran ? mine.filter((title) => notRunSet.has(normal(title))).length : 0;
    return { ...item, public: { passed, total: mine.length }, hidden: hidden.length, hiddenFailed, ran, notRun: notRunHere };
  });
}
