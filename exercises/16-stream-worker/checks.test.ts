/**
 * Checks of exercise 16, a consumer-group worker on Redis Streams. They need Redis at REDIS_URL
 * (default redis://127.0.0.1:6379); without it every check is skipped and the grader reports
 * "not run: no Redis at REDIS_URL", never a pass. Each check uses a stream of its own, under a
 * random key, deleted afterwards.
 *
 * A killed worker is a process that dies at a chosen step (see harness.ts): its
 * calls fail from then on, its acks never reach Redis, and what it read stays pending under its
 * name. A new process, with a freshly loaded copy of your module and a name of its own, takes over.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  CLAIM_IDLE_MS,
  FAR_LIMIT,
  GROUP,
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
} from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

cleanUpAfterEach();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisUp)(SUITE, { timeout: CHECK_TIMEOUT_MS }, () => {
  it('[1] applies every entry once and acks it, entries appended before the worker first ran included, and returns how many it took', async () => {
    const world = await World.create(7);
    const { work } = await world.start();
    // A pass may take fewer than all (at most batch): run passes until one takes nothing.
    const passUntilIdle = async (what: string) => {
      for (let pass = 1; pass <= 20; pass++) {
        const before = world.ledger.applied.size;
        const took = await work();
        expect(took, `entries pass ${pass} ${what} said it took, against the deposits it applied`).toBe(world.ledger.applied.size - before);
        if (took === 0) return pass;
      }
      return expect.fail(`20 passes ${what} and the worker still took entries`);
    };
    expect(await passUntilIdle('over 7 entries'), 'passes over 7 entries, the last one taking nothing').toBeGreaterThan(1);
    expect(await work(), 'entries taken by a pass with nothing left').toBe(0);
    await world.append(3);
    await passUntilIdle('after 3 more were appended');
    await world.expectExactlyOnce();
  });

  it('[1] counts in what it returns every entry it took, also those whose effect failed', async () => {
    const world = await World.create(4);
    world.ledger.failOnce.add(world.ids[1]);
    const { work } = await world.start();
    expect(await work(), 'a pass over 4 entries, one of whose deposits failed: it took 4 (claimed plus read), whatever became of them, not only the ones it finished').toBe(4);
    expect(world.ledger.applied.size, 'deposits applied by that pass').toBe(3);
  });

  it('[1] counts in what it returns an entry it dead-lettered too', async () => {
    const world = await World.create(1);
    world.ledger.failAlways.add(world.ids[0]);
    const { work } = await world.start(undefined, { maxDeliveries: 1 });
    expect(await work(), 'the first pass over one entry, whose deposit fails').toBe(1);
    await sleep(CLAIM_IDLE_MS * 2);
    const second = await work();
    expect((await world.deadLetters()).map((letter) => letter.entryId), 'the second pass, with maxDeliveries 1, claims the entry and dead-letters it').toEqual([world.ids[0]]);
    expect(
      second,
      'what the pass that took one entry and dead-lettered it returned: a dead-lettered entry was left out of the count (counted after the dead-letter branch’s continue?). An entry taken counts whatever became of it, dead-lettered too (item 1)',
    ).toBe(1);
  });

  it('[2] loses no entry when a worker dies before its effect is committed: another claims it once idle and applies it', async () => {
    const world = await World.create(5);
    let applies = 0;
    // The first worker dies as it is about to commit its third entry.
    const plans = [({ op, point }: { op: string; point: string }) => op === 'apply' && point === 'before' && ++applies === 3];
    await world.runUntilSettled(() => plans.shift() ?? (() => false));
    await world.expectExactlyOnce();
  });

  it('[2] claims a dead worker’s idle entries even while new entries keep coming', async () => {
    const world = await World.create(3);
    await world.admin.createGroup(world.stream, GROUP, { from: 'start' });
    await world.admin.readGroup(world.stream, GROUP, 'dead', { count: 3 }); // and it dies holding them
    const held = [...world.ids];
    await sleep(CLAIM_IDLE_MS * 2);
    const { work } = await world.start(undefined, { batch: 2 });
    // Two new entries before each pass: a pass never runs out of new work.
    for (let pass = 1; pass <= 4; pass++) {
      await world.append(2);
      await work();
    }
    expect(held.filter((id) => !world.ledger.applied.has(id)), 'entries of the dead worker, idle far longer than claimIdleMs, still not applied after 4 passes with new entries waiting each time').toEqual([]);
  });

  it('[3] applies nothing twice when a worker dies after its commit and before its ack: the entry is claimed and acked', async () => {
    const world = await World.create(5);
    let commits = 0;
    const plans = [({ op, point }: { op: string; point: string }) => op === 'apply' && point === 'after' && ++commits === 2];
    await world.runUntilSettled(() => plans.shift() ?? (() => false));
    await world.expectExactlyOnce();
  });

  it('[4] claims another consumer’s entries only once they have been idle for claimIdleMs', async () => {
    const world = await World.create(5);
    await world.admin.createGroup(world.stream, GROUP, { from: 'start' });
    const held = (await world.admin.readGroup(world.stream, GROUP, 'slow-but-alive', { count: 3 })).map((e) => e.id);
    const patient = await world.start(undefined, { claimIdleMs: 10_000 });
    await patient.work();
    expect(held.filter((id) => world.ledger.applied.has(id)), 'entries of a live consumer, pending for far less than claimIdleMs, that the worker took').toEqual([]);
    const owners = (await world.admin.pending(world.stream, GROUP)).map((p) => p.consumer);
    expect(owners, 'owners of the pending entries').toEqual(['slow-but-alive', 'slow-but-alive', 'slow-but-alive']);
    await sleep(CLAIM_IDLE_MS * 2);
    const { work } = await world.start();
    expect(await work(), 'entries taken once they were idle longer than claimIdleMs').toBe(3);
    await world.expectExactlyOnce();
  });

  it('[4] claims no entry of a live consumer pending for less than claimIdleMs, even when there is no new entry to read', async () => {
    const world = await World.create(3);
    await world.admin.createGroup(world.stream, GROUP, { from: 'start' });
    await world.admin.readGroup(world.stream, GROUP, 'slow-but-alive', { count: 3 });
    const patient = await world.start(undefined, { claimIdleMs: 10_000 });
    expect(await patient.work(), 'entries taken by a pass whose only work is 3 entries pending for far less than claimIdleMs').toBe(0);
    expect(world.ledger.applied.size, 'deposits of those entries it applied').toBe(0);
    const owners = (await world.admin.pending(world.stream, GROUP)).map((p) => p.consumer);
    expect(owners, 'owners of the pending entries').toEqual(['slow-but-alive', 'slow-but-alive', 'slow-but-alive']);
  });

  it('[4] claims no entry before it was idle for claimIdleMs, for random worker deaths (property-based, 6 cases)', async () => {
    await holds(deathCases, runDeathCase, { seed: 16, numRuns: 6, timeLimitMs: 3_000, steps: deathCaseSteps });
  });

  it('[5] does not ack an entry whose effect failed, and applies it later', async () => {
    const world = await World.create(4);
    world.ledger.failOnce.add(world.ids[1]);
    await world.runUntilSettled();
    await world.expectExactlyOnce();
  });

  it('[6] takes at most `batch` new entries and `batch` claimed ones in a pass, 10 when none is given', async () => {
    const world = await World.create(25);
    const pass = async (worker: { work: () => Promise<number> }, most: number, what: string) => {
      const before = world.ledger.applied.size;
      const took = await worker.work();
      expect(took, `entries taken by one pass ${what}`).toBeLessThanOrEqual(most);
      expect(took, `entries taken by one pass ${what}: none, with entries waiting`).toBeGreaterThan(0);
      expect(world.ledger.applied.size - before, `deposits applied by one pass ${what}, against what it returned`).toBe(took);
    };
    await pass(await world.start(), 10, 'over 25 entries, batch not given (at most 10)');
    await pass(await world.start(undefined, { batch: 4 }), 4, 'with batch: 4');
    const left = await world.start(undefined, { batch: 100 });
    while ((await left.work()) > 0);
    await world.expectExactlyOnce();
    const idle = await World.create(9);
    await idle.admin.createGroup(idle.stream, GROUP, { from: 'start' });
    await idle.admin.readGroup(idle.stream, GROUP, 'dead', { count: 9 });
    await sleep(CLAIM_IDLE_MS * 2);
    const claimer = await idle.start(undefined, { batch: 5 });
    const took = await claimer.work();
    expect(took, 'entries claimed by one pass with batch: 5, 9 idle and none new (at most 5)').toBeLessThanOrEqual(5);
    expect(took, 'entries claimed by one pass with batch: 5, 9 idle and none new').toBeGreaterThan(0);
  });

  it('[6] reads at most `batch` new entries also when the claim filled the batch', async () => {
    const world = await World.create(5);
    await world.admin.createGroup(world.stream, GROUP, { from: 'start' });
    await world.admin.readGroup(world.stream, GROUP, 'dead', { count: 5 }); // and it dies holding them
    await world.append(10);
    await sleep(CLAIM_IDLE_MS * 2);
    const { work } = await world.start(undefined, { batch: 5 });
    const took = await work();
    expect(took, 'a pass with batch: 5 over 5 idle entries and 10 new ones took more than 5 claimed plus 5 new: batch bounds the claim and the read each; a read for batch minus what was claimed asks Redis for COUNT 0, which means no limit').toBeLessThanOrEqual(10);
    expect(took, 'entries taken by that pass').toBeGreaterThanOrEqual(5);
  });

  it('[7] applies every entry exactly once when workers die at every step in turn (each read, claim, commit and ack, before and after)', async () => {
    const world = await World.create(3);
    await world.runUntilSettled(staircase(), { worker: FAR_LIMIT });
    await world.expectExactlyOnce();
  });

  it('[8] applies 120 entries exactly once with two workers at once, each dying at random steps (seed 1)', async () => {
    const world = await World.create(120);
    await world.runUntilSettled(randomCrashes(1, 0.02), { lanes: 2, worker: FAR_LIMIT });
    await world.expectExactlyOnce();
  });

  it('[8] applies every deposit exactly once and acks every entry for random worker deaths, one or two workers at once (property-based, 6 cases)', async () => {
    await holds(deathCases, runDeathCase, { seed: 1608, numRuns: 6, timeLimitMs: 3_000, steps: deathCaseSteps });
  });

  it('[2] loses nothing when a worker dies right after reading new entries', async () => {
    const world = await World.create(4);
    const plans = [({ op, point }: { op: string; point: string }) => op === 'readGroup' && point === 'after'];
    await world.runUntilSettled(() => plans.shift() ?? (() => false));
    await world.expectExactlyOnce();
  });

  it('[9] dead-letters an entry whose deposit always fails once it is handed out more than maxDeliveries times, then acks it', async () => {
    const world = await World.create(4);
    const poison = world.ids[2];
    world.ledger.failAlways.add(poison);
    await world.runUntilSettled(undefined, { worker: { maxDeliveries: 3 } });
    expect(world.ledger.attempts.get(poison), 'tries of the failing deposit, maxDeliveries 3').toBe(3);
    expect((await world.deadLetters()).map((letter) => letter.deliveries), 'the delivery count of its dead letter').toEqual([4]);
    await world.expectExactlyOnce({ deadLettered: [poison], maxDeliveries: 3 });
  });

  it('[9] dead-letters after 5 failed deliveries when maxDeliveries is not given', async () => {
    const world = await World.create(3);
    const poison = world.ids[0];
    world.ledger.failAlways.add(poison);
    await world.runUntilSettled();
    expect(world.ledger.attempts.get(poison), 'tries of the failing deposit, maxDeliveries not given').toBe(5);
    await world.expectExactlyOnce({ deadLettered: [poison] });
  });

  it('[10] dead-letters an entry that kills every worker applying it, once it is handed out more than maxDeliveries times', async () => {
    const world = await World.create(5);
    const poison = world.ids[1];
    const killsWhoApplies = () => ({ op, point, entryId }: Step) => op === 'apply' && point === 'before' && entryId === poison;
    await world.runUntilSettled(killsWhoApplies, { worker: { maxDeliveries: 2, batch: 1 } });
    await world.expectExactlyOnce({ deadLettered: [poison], maxDeliveries: 2 });
  });

  it('[11] acks a dead-lettered entry only once the append of its dead letter has completed', async () => {
    const world = await World.create(1);
    const poison = world.ids[0];
    world.ledger.failAlways.add(poison);
    const steps: string[] = [];
    const recordsAppendsAndAcks = () => ({ op, point }: Step) => {
      if (op === 'append' || op === 'ack') steps.push(`${op} ${point}`);
      return false;
    };
    await world.runUntilSettled(recordsAppendsAndAcks, { worker: { maxDeliveries: 1 } });
    expect(steps, 'the ack of the dead-lettered entry was sent before its dead letter’s append had completed: wait for the append (and let its failure through), or a failed append leaves the entry acked with no dead letter').toEqual([
      'append before',
      'append after',
      'ack before',
      'ack after',
    ]);
    await world.expectExactlyOnce({ deadLettered: [poison], maxDeliveries: 1 });
  });

  it('[11] loses no dead letter when a worker dies just before appending it, or between appending it and acking the entry', async () => {
    const world = await World.create(3);
    const poison = world.ids[0];
    world.ledger.failAlways.add(poison);
    // One worker dies as it is about to append the dead letter; a later one right after appending it.
    const deaths: Step['point'][] = ['before', 'after'];
    const dieAtNextDeathPoint = () => ({ op, point }: Step) => op === 'append' && point === deaths[0] && deaths.shift() !== undefined;
    await world.runUntilSettled(dieAtNextDeathPoint, { worker: { maxDeliveries: 2 } });
    await world.expectExactlyOnce({ deadLettered: [poison], maxDeliveries: 2 });
    expect(deaths, 'death points the workers never reached').toEqual([]);
  });
});

canaries();
