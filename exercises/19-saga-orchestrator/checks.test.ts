/**
 * Public checks of exercise 19: shipped to students, run by `npm run grade -- 19`.
 * Each title starts with the README item it checks; the hidden checks are in
 * solutions/19-saga-orchestrator/hidden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { holds } from '../../checker/shared/property';
import { crashEverywhere, describeCall, expectRight, faultsAt, judgeRandom, randomScenarios, saga, sagaText, scenarioSteps, type Plan, type World } from './harness';

/** The actions and compensations that took effect, in order, as `step action` and `step compensation`. */
const effectsOf = (world: World, id: string) => world.effects.filter((e) => e.saga === id).map((e) => `${e.step} ${e.kind}`);

/** Every call's first `n` attempts fail, alternately after and before taking effect. */
const failingFirst = (n: number): Plan => (operation) => (operation.call && operation.attempt < n ? (operation.attempt % 2 === 0 ? 'fail-after' : 'fail-before') : undefined);

describe('runSaga', () => {
  it('[1] runs each step once, in order, and returns "completed"', async () => {
    const world = await expectRight({ sagas: [saga('s1', 3)] }, 'a saga of three steps, without any fault');
    expect(effectsOf(world, 's1'), 'what took effect').toEqual(['reserve-stock action', 'charge-card action', 'book-courier action']);
    expect(world.outcomes.get('s1'), 'what runSaga returned for a saga whose every step was done').toBe('completed');
  });

  it('[2] after a refusal, runs no later step and compensates the steps done, last first, then returns "compensated"', async () => {
    const world = await expectRight({ sagas: [saga('s1', 4, 2)] }, `${sagaText(saga('s1', 4, 2))}, without any fault`);
    expect(effectsOf(world, 's1'), 'what took effect').toEqual(['reserve-stock action', 'charge-card action', 'charge-card compensation', 'reserve-stock compensation']);
    expect(world.outcomes.get('s1'), 'what runSaga returned for a saga whose step was refused').toBe('compensated');
  });

  it('[2] a refused first step leaves nothing to compensate', async () => {
    const world = await expectRight({ sagas: [saga('s1', 3, 0)] }, `${sagaText(saga('s1', 3, 0))}, without any fault`);
    expect(effectsOf(world, 's1'), 'what took effect').toEqual([]);
    expect(world.outcomes.get('s1'), 'what runSaga returned').toBe('compensated');
  });

  it('[3] gives every attempt at a call the same key, and each action and compensation a key of its own', async () => {
    const sagas = [saga('s1', 3, 2), saga('s2', 3, 2)];
    const world = await expectRight({ sagas, plan: failingFirst(2) }, 'two sagas with the same steps, each call failing twice before it answers');
    const keys = new Map<string, Set<string>>();
    for (const call of world.calls) keys.set(describeCall(call), (keys.get(describeCall(call)) ?? new Set()).add(call.key));
    for (const [call, used] of keys) expect([...used], `the keys of the three attempts at ${call}: a retry carries the same key`).toHaveLength(1);
    const all = [...keys.values()].flatMap((used) => [...used]);
    expect(new Set(all).size, `the keys of ${keys.size} different calls (${all.join(', ')}): each needs its own`).toBe(keys.size);
  });

  it('[4] retries a failed call until it answers, actions and compensations alike, with each effect once', async () => {
    for (const spec of [saga('s1', 3), saga('s2', 4, 3)]) {
      const world = await expectRight({ sagas: [spec], plan: failingFirst(4) }, `${sagaText(spec)}, each call failing four times before it answers (half of the failures after taking effect)`);
      expect(world.outcomes.get(spec.id), `what runSaga returned for ${sagaText(spec)}`).toBe(spec.refuses ? 'compensated' : 'completed');
    }
  });
});

describe('recover', () => {
  it('[5] completes a saga that crashed at any step, just before or just after any call or append', async () => {
    const tried = await crashEverywhere([saga('s1', 3)]);
    expect(tried, 'operations in a saga of three steps').toBeGreaterThanOrEqual(3);
  });

  it('[6] compensates a saga with a refused step that crashed at any step, just before or just after any call or append', async () => {
    await crashEverywhere([saga('s1', 4, 2)]);
    await crashEverywhere([saga('s1', 3, 2)], failingFirst(1));
  });

  it('[7] never compensates a step that never ran: not the refused step, not a step after it', async () => {
    for (const spec of [saga('s1', 4, 1), saga('s1', 2, 1), saga('s1', 3, 0)]) {
      await expectRight({ sagas: [spec] }, `${sagaText(spec)}, without any fault`);
      await crashEverywhere([spec]);
    }
  });

  it('[8] finishes every saga left unfinished, and makes no call for a saga that had finished', async () => {
    await expectRight({ sagas: [saga('s1', 2), saga('s2', 3, 1)], plan: faultsAt([[2, 'crash-after']]) }, 's1 crashed just after operation 2, then s2 ran in the recovered process');
    const twoAtOnce = [saga('s1', 3), saga('s2', 3, 2), saga('s3', 2)];
    for (const number of [4, 7, 9]) {
      await expectRight({ sagas: twoAtOnce, together: true, plan: faultsAt([[number, 'crash-after']]) }, `three sagas started together, with a crash just after operation ${number}`);
    }
    const finishedFirst = [saga('s1', 2), saga('s2', 2, 1), saga('s3', 3)];
    const clean = await expectRight({ sagas: finishedFirst }, 's1, s2 and s3 one after the other, without any fault');
    const lastOfS3 = clean.operations.length - 1;
    await expectRight({ sagas: finishedFirst, plan: faultsAt([[lastOfS3, 'crash-before']]) }, 's1 and s2 finished, then a crash just before the last operation of s3: recover must leave s1 and s2 alone');
  });

  it('[9] a recover that crashes at any step is finished by the next one', async () => {
    const spec = saga('s1', 3, 2);
    const firstCrash = 3;
    const once = await expectRight({ sagas: [spec], plan: faultsAt([[firstCrash, 'crash-after']]) }, `${sagaText(spec)}, crashed just after operation ${firstCrash}`);
    for (let number = firstCrash + 1; number < once.operations.length; number++) {
      for (const fault of ['crash-before', 'crash-after'] as const) {
        await expectRight({ sagas: [spec], plan: faultsAt([[firstCrash, 'crash-after'], [number, fault]]) }, `${sagaText(spec)}, crashed just after operation ${firstCrash}, then recover's process crashed ${fault === 'crash-before' ? 'just before' : 'just after'} operation ${number} (${once.operations[number]})`);
      }
    }
  });

  it('[10] property: random sagas, refusals, failed calls and crashes, each saga ends completed or fully compensated', async () => {
    await holds(randomScenarios, judgeRandom, { seed: 19, numRuns: 200, steps: scenarioSteps });
  });
});

canaries();
