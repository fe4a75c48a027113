/**
 * The key under which a canary (canary.ts) carries its mark in the task's `meta` while the check
 * file is collected. The grading reporter (../grade/grading-reporter.ts) reads the mark in vitest's
 * main process when the collected checks arrive there; the worker erases it before any code under
 * test runs, so that from then on a canary looks like any other check.
 */
export const CANARY_MARK = 'grading-canary';
