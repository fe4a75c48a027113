/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/13-failure-detector/checks.test.ts) of exercise 13, a heartbeat failure detector, on netsim.
 */
import { describe, expect, it } from 'vitest';
import { JITTERY, STEADY, beatRuns, beatSteps, environmentRun, world } from '../../exercises/13-failure-detector/harness';
import { playBeatsByTheRules } from './hidden-harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 16 }, (_, i) => 1000 + i);

describe('FailureDetector', () => {
  it('[4] reports every return of a node that crashes and restarts while suspected, three times over', () => {
    const { net, beatAt, changes, followsTheRules } = world();
    for (let run = 0; run < 3; run++) beatAt('w', Array.from({ length: 15 }, (_, i) => run * 5_000 + i * 100), run + 1);
    net.advance(20_000);
    followsTheRules();
    expect(changes.map((c) => c.suspected), 'suspected and trusted again, alternately, once per crash and restart').toEqual([true, false, true, false, true]);
  });

  it('[9] property: random heartbeat schedules, restarts and settings; exactly the changes of verdict the rules give (fast-check, 150 longer runs)', async () => {
    await holds(beatRuns({ nodes: 4, beats: 30 }), playBeatsByTheRules, { seed: 1013, numRuns: 150, steps: beatSteps });
  });

  it('[7] on a steady network, never suspects the live worker and detects every crash within 200 ms (10 more seeds)', () => {
    for (const seed of MORE_SEEDS.slice(0, 10)) {
      const { falseSuspicions, detections } = environmentRun(seed, STEADY);
      expect(falseSuspicions, `seed ${seed}: false suspicions in 2 minutes`).toBe(0);
      expect(Math.max(...detections), `seed ${seed}: slowest detection (ms)`).toBeLessThanOrEqual(200);
    }
  });

  it('[8] on a jittery network with pauses, keeps false suspicions and detection times within their bounds (16 more seeds)', () => {
    let falseSuspicions = 0;
    const detections: number[] = [];
    for (const seed of MORE_SEEDS) {
      const run = environmentRun(seed, JITTERY);
      falseSuspicions += run.falseSuspicions;
      detections.push(...run.detections);
      expect(Math.max(...run.detections), `seed ${seed}: slowest detection (ms)`).toBeLessThanOrEqual(1_500);
    }
    expect(falseSuspicions, 'false suspicions in 16 runs of 2 minutes (at most 8 a run on average)').toBeLessThanOrEqual(128);
    const meanDetection = detections.reduce((a, b) => a + b, 0) / detections.length;
    expect(meanDetection, 'mean detection time (ms)').toBeLessThanOrEqual(500);
  });
});

canaries();
