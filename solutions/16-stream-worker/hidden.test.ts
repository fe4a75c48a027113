/**
 * Hidden checks of exercise 16: the public checks' harness with more entries, more seeds and
 * more workers at once.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  FAR_LIMIT,
  SUITE,
  World,
  cleanUpAfterEach,
  deathCaseSteps,
  deathCases,
  randomCrashes,
  redisUp,
  runDeathCase,
  staircase,
  type Step,
} from '../../exercises/16-stream-worker/harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

cleanUpAfterEach();

describe.skipIf(!redisUp)(SUITE, { timeout: CHECK_TIMEOUT_MS }, () => {
  it('[3] applies nothing twice when every worker, taking one entry a pass, dies right after its second commit', async () => {
    const world = await World.create(6);
    const dieAtSecondCommit = () => {
      let commits = 0;
      return ({ op, point }: { op: string; point: string }) => op === 'apply' && point === 'after' && ++commits === 2;
    };
    await world.runUntilSettled(dieAtSecondCommit, { worker: { batch: 1 } });
    await world.expectExactlyOnce();
  });

  it('[7] applies every entry of twelve exactly once when workers die at every step in turn, batch 4', async () => {
    const world = await World.create(12);
    await world.runUntilSettled(staircase(), { worker: { batch: 4, ...FAR_LIMIT } });
    await world.expectExactlyOnce();
  });

  it.each([2, 3])('[8] applies 200 entries exactly once with three workers at once, each dying at random steps (seed %i)', async (seed) => {
    const world = await World.create(200);
    await world.runUntilSettled(randomCrashes(seed, 0.02), { lanes: 3, worker: FAR_LIMIT });
    await world.expectExactlyOnce();
  });

  it('[9] with maxDeliveries 1, dead-letters each of three always-failing entries among twenty after its one try, batch 4', async () => {
    const world = await World.create(20);
    const poisons = [world.ids[0], world.ids[9], world.ids[19]];
    for (const id of poisons) world.ledger.failAlways.add(id);
    await world.runUntilSettled(undefined, { worker: { maxDeliveries: 1, batch: 4 } });
    expect(poisons.map((id) => world.ledger.attempts.get(id)), 'tries of each failing deposit, maxDeliveries 1').toEqual([1, 1, 1]);
    await world.expectExactlyOnce({ deadLettered: poisons, maxDeliveries: 1 });
  });

  it('[10] dead-letters two entries that kill every worker applying them, among thirty, with two workers at once taking one entry a pass', async () => {
    const world = await World.create(30);
    const poisons = [world.ids[4], world.ids[17]];
    const killsWhoApplies = () => ({ op, point, entryId }: Step) => op === 'apply' && point === 'before' && poisons.includes(entryId ?? '');
    await world.runUntilSettled(killsWhoApplies, { lanes: 2, worker: { maxDeliveries: 3, batch: 1 } });
    await world.expectExactlyOnce({ deadLettered: poisons, maxDeliveries: 3 });
  });

  it('[11] loses no dead letter when the workers that append it die before acking the entry, up to two in a row', async () => {
    const world = await World.create(2);
    const poison = world.ids[1];
    world.ledger.failAlways.add(poison);
    let deaths = 2;
    const dieAfterAppending = () => ({ op, point }: Step) => op === 'append' && point === 'after' && deaths-- > 0;
    await world.runUntilSettled(dieAfterAppending, { worker: { maxDeliveries: 1 } });
    await world.expectExactlyOnce({ deadLettered: [poison], maxDeliveries: 1 });
    // A worker that looks for its dead letter before appending it again may need only one death.
    expect(deaths, 'deaths between appending the dead letter and acking the entry: none happened').toBeLessThanOrEqual(1);
  });

  it('[8] applies every deposit exactly once, claiming nothing early, for 20 more random cases of worker deaths (property-based)', async () => {
    await holds(deathCases, runDeathCase, { seed: 1_616, numRuns: 20, timeLimitMs: 8_000, steps: deathCaseSteps });
  });
});

canaries();
