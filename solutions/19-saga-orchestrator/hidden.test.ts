/**
 * Hidden checks of exercise 19 (kept by the instructor, used for the final grade; the public
 * ones are in exercises/19-saga-orchestrator/checks.test.ts): harsher cases of the same README items.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { holds } from '../../checker/shared/property';
import { crashEverywhere, describeCall, expectRight, faultsAt, judgeRandom, randomScenarios, saga, scenarioSteps, type Fault, type Plan } from '../../exercises/19-saga-orchestrator/harness';

/** Every call's first `n` attempts fail after taking effect (the reply is lost). */
const repliesLost = (n: number): Plan => (operation) => (operation.call && operation.attempt < n ? 'fail-after' : undefined);

describe('runSaga', () => {
  it('[3] keeps the keys of three sagas with the same steps, run together, apart', async () => {
    const world = await expectRight({ sagas: [saga('a', 4, 3), saga('b', 4, 3), saga('c', 4)], together: true, plan: repliesLost(1) }, 'three sagas run together, every first reply lost');
    const keyOf = new Map(world.calls.map((call) => [describeCall(call), call.key]));
    expect(new Set(keyOf.values()).size, 'one key per action and per compensation').toBe(keyOf.size);
  });

  it('[4] retries a compensation that fails ten times in a row', async () => {
    const plan: Plan = (operation) => (operation.call?.kind === 'compensation' && operation.attempt < 10 ? 'fail-before' : undefined);
    await expectRight({ sagas: [saga('s1', 5, 4)], plan }, 'every compensation failing ten times before it answers');
  });
});

describe('recover', () => {
  it('[5] completes a five-step saga crashed anywhere, every first reply lost', async () => {
    await crashEverywhere([saga('s1', 5)], repliesLost(1));
  });

  it('[6] compensates a five-step saga crashed anywhere, every first reply lost', async () => {
    await crashEverywhere([saga('s1', 5, 4)], repliesLost(1));
  });

  it('[9] finishes a saga crashed at every pair of operations', async () => {
    const spec = saga('s1', 3, 2);
    const clean = await expectRight({ sagas: [spec] }, `${spec.id}, without any fault`);
    const faults: Fault[] = ['crash-before', 'crash-after'];
    for (let first = 0; first < clean.operations.length; first++) {
      for (let second = first + 1; second < clean.operations.length + 4; second++) {
        for (const [a, b] of faults.flatMap((x) => faults.map((y) => [x, y] as const))) {
          await expectRight({ sagas: [spec], plan: faultsAt([[first, a], [second, b]]) }, `${a} at operation ${first}, then ${b} at operation ${second}`);
        }
      }
    }
  });

  it('[10] property: 1,000 random scenarios', async () => {
    await holds(randomScenarios, judgeRandom, { seed: 1019, numRuns: 1000, steps: scenarioSteps });
  });
});

canaries();
