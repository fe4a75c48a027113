/**
 * Setup file of every grading run (see vitest.checks.mts). In a grading run it announces each check
 * as it begins (an annotation, which reaches the grading reporter at once): a check that never ends
 * is then named by the time-out. And it is there for two mistakes whose symptoms would otherwise
 * point the wrong way:
 * - an error the code under test throws where nothing catches it (in a callback, a timer, a promise
 *   nobody awaits) fails the check that was running, with that error and the place it came from,
 *   rather than leaving the check to wait for something that will never happen;
 * - a console flood (a forgotten debugging print in a loop) is cut after a few hundred lines and
 *   reported as such, rather than slowing the checks until they time out.
 */
import { afterAll, afterEach, beforeEach, inject } from 'vitest';
import { CHECK_START } from './check-start';
import { readChecksEnv } from './checks-env';

/** How a failure message of an error nobody caught begins (the grader shows these first). */
const UNCAUGHT = 'your code threw an error that nothing caught: ';
/** Console lines shown before the rest are dropped. */
const SHOWN_LINES = 500;

/**
 * A stability run (repeat-setup.ts) runs each check again in the same test, and vitest refuses an
 * annotation on a repetition ("Cannot annotate tests outside of the test run"); the proofs that
 * repeat checks need no time-out's name.
 */
const repeating = Boolean(readChecksEnv().repeats);

let caught: unknown[] = [];
const record = (error: unknown) => void caught.push(error);
process.on('uncaughtException', record);
process.on('unhandledRejection', record);

beforeEach(async (context) => {
  caught = [];
  // Awaited: the grader must know of this check before its code under test may block the worker.
  if (inject('canaries') && !repeating) await context.annotate(CHECK_START);
});

afterEach(() => {
  const [first] = caught;
  caught = [];
  if (first === undefined) return;
  const original = first instanceof Error ? first : new Error(typeof first === 'string' ? first : JSON.stringify(first));
  if (original.message.startsWith(UNCAUGHT)) throw original;
  // Said as the grader's own message, with the original error's stack (the place it came from).
  const error = new Error(`${UNCAUGHT}${original.name}: ${original.message}`);
  error.stack = [`Error: ${error.message}`, ...(original.stack ?? '').split('\n').slice(1)].join('\n');
  throw error;
});

let printed = 0;
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    if (++printed <= SHOWN_LINES) original(...args);
  };
}

afterAll(() => {
  if (printed > SHOWN_LINES) {
    throw new Error(`your code printed ${printed} lines to the console while the checks ran (a forgotten debugging print?); the checks dropped all but the first ${SHOWN_LINES}`);
  }
});
