/**
 * What of a grading's text may reach a student's feedback. Text that comes from the submission
 * (an error it threw, a message of a check it failed) is cut to one line of at most 160
 * characters, and withheld when it quotes the hidden checks or a reference solution: a
 * submission may read the files inside its sandbox and throw their text.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../../tooling/course';

/** Longest line of submission text in feedback. */
const MAX_LENGTH = 160;
/** A run of this many characters found in a secret file means the text quotes it. */
const QUOTE_LENGTH = 24;

export const WITHHELD = '(withheld: the message quotes the hidden checks or a reference solution)';

const normalize = (text: string) => text.replace(/\s+/g, ' ');

/** The texts a feedback may not quote: the hidden checks (and their harness) and the solutions, whitespace folded. */
export function secretTexts(master: string, exercises: Exercise[]): string[] {
  const files = exercises.flatMap((e) => [path.join(master, e.hiddenChecks), path.join(master, e.hiddenHarness), ...e.files.map((name) => path.join(master, e.solutionDir, name))]);
  return files.filter((file) => fs.existsSync(file)).map((file) => normalize(fs.readFileSync(file, 'utf8')));
}

/** True when `text` holds a run of QUOTE_LENGTH characters of one of the secrets. */
function quotes(text: string, secrets: string[]): boolean {
  const folded = normalize(text);
  for (let start = 0; start + QUOTE_LENGTH <= folded.length; start++) {
    const run = folded.slice(start, start + QUOTE_LENGTH);
    if (run.trim().length === QUOTE_LENGTH && secrets.some((secret) => secret.includes(run))) return true;
  }
  return false;
}

/** Submission text as feedback may show it: one line, at most 160 characters, no quoted secret. */
export function submissionText(text: string, secrets: string[]): string {
  const line = normalize(text).trim();
  const cut = line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
  return quotes(line, secrets) ? WITHHELD : cut;
}

/** A problem the grader reported, as feedback may show it: its lines each held to the same rules. */
export function problemText(problem: string, secrets: string[]): string {
  return problem
    .split('\n')
    .map((line) => submissionText(line, secrets))
    .join('\n');
}
