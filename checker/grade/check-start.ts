/**
 * The message of the annotation with which run-setup.ts announces, in the worker, each check as it
 * begins; the grading reporter (grading-reporter.ts), in vitest's main process, passes it on to the
 * grader, whose watchdog then knows which check an exercise was stuck in.
 * @module
 */
export const CHECK_START = 'grading: check started';
