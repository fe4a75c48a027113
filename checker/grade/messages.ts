/**
 * Turns the error text vitest records for a failed check (an error's stack) into one short line a
 * student can act on: the message without the stack, plus where in their code it came from.
 * @module
 */
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { isCheckFileName } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { plainComparison } from './comparisons';

const STACK_FRAME = /^\s+at\s/;
const MAX_LINES = 3;
const MAX_LINE_LENGTH = 240;

/** A syntax error as vite's parser reports it: the complaint and the place, without the drawing. */
function syntaxError(text: string): string | undefined {
  const complaint = /\[PARSE_ERROR\]\s*(.+)/.exec(text)?.[1];
  if (!complaint) return undefined;
  const where = /\[\s*(\S+:\d+:\d+)\s*\]/.exec(text)?.[1];
  return `syntax error: ${complaint.trim()}${where ? ` (at ${where})` : ''}`;
}

/** Vitest's own time-out of one check, said the way the grader says it. */
function checkTimeout(text: string): string | undefined {
  const ms = /Test timed out in (\d+)ms/.exec(text)?.[1];
  return ms ? `timed out after ${Number(ms) / 1000} s: a promise that never settles, or a loop that never ends?` : undefined;
}

/**
 * Vite's names for the modules a check imported (`__vite_ssr_import_1__.server.createMessageServer is
 * not a function`) said as the check wrote them (`server.createMessageServer is not a function`).
 */
const withoutViteNames = (text: string) => text.replace(/__vite_ssr_(?:dynamic_)?import(?:_\d+)?__\.?/g, '').replace(/__vite_ssr_[A-Za-z_]+__/g, 'import');

/** How the lines of a netsim trace begin in a failure's text (see checker/shared/netsim-trace.ts). */
const TRACE_MARK = '[netsim] ';

/** The netsim trace a failure's text carries, as lines, if it carries one. */
export function traceLines(errorText: string): string[] {
  return stripVTControlCharacters(errorText)
    .split(/\r?\n/)
    .filter((line) => line.startsWith(TRACE_MARK))
    .map((line) => line.slice(TRACE_MARK.length));
}

/** Removes colour codes, the stack frames and any trace; keeps at most a few lines of the message. */
export function shortMessage(errorText: string): string {
  const plain = withoutViteNames(stripVTControlCharacters(errorText))
    .split(/\r?\n/)
    .filter((line) => !line.startsWith(TRACE_MARK))
    .join('\n');
  const special = syntaxError(plain) ?? checkTimeout(plain);
  if (special) return special;
  const lines = plain.split(/\r?\n/);
  const message: string[] = [];
  for (const line of lines) {
    if (STACK_FRAME.test(line)) break;
    if (line.trim() !== '') message.push(line.trim());
  }
  const text = message
    .slice(0, MAX_LINES)
    .map(plainComparison)
    .map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH - 1)}…` : line))
    .join(' ')
    .replace(/^(AssertionError|Error): /, '');
  return text || 'failed without a message';
}

/** One frame of a stack: the function (when it has a name) and its file. */
interface Frame {
  name?: string;
  file: string;
}

function framesOf(errorText: string): Frame[] {
  return stripVTControlCharacters(errorText)
    .split(/\r?\n/)
    .flatMap((line) => {
      const frame = /^\s+at\s+(?:(?:async\s+|new\s+)?([^\s(]+)\s+\()?(?:file:\/\/)?((?:[A-Za-z]:)?[^\s():]+\.[cm]?ts):\d+:\d+\)?\s*$/.exec(line);
      return frame ? [{ name: frame[1], file: path.resolve(frame[2]) }] : [];
    });
}

/** Whether `file` is part of the submission in `dirs` (the check files beside it are not). */
const inSubmission = (file: string, dirs: string[]) => dirs.some((dir) => file.startsWith(dir + path.sep)) && !isCheckFileName(path.basename(file));

/**
 * An error the checks' side raised (an injected fault, a toolkit call that failed) that went up
 * through the submission without being caught, so that the function the checks called let it out:
 * that function's name and file (the outermost frame of the submission). Not for an error the
 * submission raised itself, nor for an expectation that failed.
 */
export function escapedThrough(errorText: string, dirs: string[]): Required<Frame> | undefined {
  if (/^\s*AssertionError\b/.test(stripVTControlCharacters(errorText))) return undefined;
  const frames = framesOf(errorText);
  if (frames.length === 0 || inSubmission(frames[0].file, dirs)) return undefined;
  const outermost = frames.filter((frame) => inSubmission(frame.file, dirs)).pop();
  const name = outermost?.name?.split('.').pop();
  return outermost && name && /^[\w$]+$/.test(name) ? { name, file: outermost.file } : undefined;
}

/**
 * The first stack frame inside one of `dirs` (the submission), as `relative/path.ts:line:col`,
 * not counting the check files that live beside the code (`checks.test.ts`, `harness.ts`).
 * This is where a student looks first: their own line, not the checker's.
 */
export function locateInSubmission(errorText: string, dirs: string[], root: string): string | undefined {
  for (const line of stripVTControlCharacters(errorText).split(/\r?\n/)) {
    const frame = /(?:\(|\s)(?:file:\/\/)?((?:[A-Za-z]:)?[^\s():]+\.[cm]?ts):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!frame) continue;
    const file = path.resolve(frame[1]);
    if (dirs.some((dir) => file.startsWith(dir + path.sep)) && !isCheckFileName(path.basename(file))) {
      return `${toPosix(path.relative(root, file))}:${frame[2]}:${frame[3]}`;
    }
  }
  return undefined;
}

/** Makes absolute paths inside `root` relative to it, so messages stay short and machine-independent. */
export function relativizePaths(text: string, root: string): string {
  return text.split(root + path.sep).join('').split(root + '/').join('');
}
