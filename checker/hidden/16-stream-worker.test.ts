/**
 * Hidden checks of exercise 16: the public checks' harness with more entries, more seeds and
 * more workers at once.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_TIMEOUT_MS, SUITE, World, cleanUpAfterEach, expectedBalances, randomCrashes, redisUp, staircase } from '../checks/16-stream-worker.harness';
import { canaries } from '../checks/canary';

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
    await world.runUntilSettled(staircase(), { worker: { batch: 4 } });
    await world.expectExactlyOnce();
  });

  it.each([2, 3])('[8] applies 200 entries exactly once with three workers at once, each dying at random steps (seed %i)', async (seed) => {
    const world = await World.create(200);
    await world.runUntilSettled(randomCrashes(seed, 0.02), { lanes: 3 });
    await world.expectExactlyOnce();
    expect(world.ledger.balances, 'balances').toEqual(expectedBalances(200));
  });
});

canaries();
