/**
 * Setup file of a stability run (N repeats, see checks-env.ts and vitest.checks.mts): every check of the
 * file runs N more times in the same process. Vitest keeps the errors of every failed repetition,
 * so a check that fails only sometimes shows fewer errors than repetitions (see stability.test.ts).
 */
import { beforeAll, type RunnerTestSuite } from 'vitest';
import { readChecksEnv } from './checks-env';

const repeats = readChecksEnv().repeats ?? 0;

function repeatAll(suite: RunnerTestSuite): void {
  for (const task of suite.tasks) {
    if (task.type === 'test') task.repeats = repeats;
    else repeatAll(task);
  }
}

// Vitest hands a hook its fixtures first (an object pattern is required there), the suite second.
// eslint-disable-next-line no-empty-pattern -- the fixtures are not used, but vitest needs the pattern to pass the suite
beforeAll(({}, suite) => repeatAll(suite as RunnerTestSuite));
