/**
 * What a student reads when their code does not type-check: each error once, with every line tsc
 * gives to explain it, and that the checks were not run. One cause, said once, instead of a failure
 * per check that all come from it.
 * @module
 */
import { isSyntaxError, type TypeProblem } from './type-check';

/** How the problem of an exercise whose code does not type-check begins. */
const FIRST = /^fix the (?:type|syntax) errors first: checks not run/;

/** Errors shown before the rest are summed up. */
const SHOWN = 5;

/**
 * An error as tsc explains it: its place, its code and every line of its message (the lines after
 * the first, indented, say why: "Target signature provides too few arguments...").
 */
function describe(problem: TypeProblem): string {
  const where = problem.file ? `${problem.file}:${problem.line}:${problem.column}` : 'tsc';
  const [first, ...why] = problem.message.split('\n');
  return [`${where} ${problem.code}: ${first}`, ...why.map((line) => `  ${line.trim()}`)].join('\n');
}

/** Why an exercise whose code does not type-check (or parse) has no check results: each error once. */
export function typeErrorProblem(problems: TypeProblem[]): string {
  const unique = [...new Map(problems.map((p) => [`${p.file}:${p.line}:${p.column} ${p.code} ${p.message}`, p])).values()];
  const shown = unique.slice(0, SHOWN).map(describe);
  if (unique.length > SHOWN) shown.push(`... and ${unique.length - SHOWN} more`);
  const kind = unique.every(isSyntaxError) ? 'syntax' : 'type';
  const count = unique.length === 1 ? `a ${kind} error` : `${unique.length} ${kind} errors`;
  return `fix the ${kind} errors first: checks not run (your code has ${count}; no points until it type-checks):\n${shown.join('\n')}`;
}

/** Whether a problem of an exercise is the one {@link typeErrorProblem} writes. */
export const isTypeErrorProblem = (problem: string): boolean => FIRST.test(problem);
