/**
 * Checks of exercise 13, a heartbeat failure detector, on netsim: a simulated network in virtual
 * time, replayed exactly from its seed. Your FailureDetector runs on node "monitor"; the checks'
 * nodes send it `{ kind: 'beat', incarnation }` and crash and restart.
 */
import { describe, expect, it } from 'vitest';
import { JITTERY, STEADY, beatRuns, beatSteps, environmentRun, playBeats, world } from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 8 }, (_, i) => i + 1);
/** The steady network varies little from seed to seed. */
const STEADY_SEEDS = SEEDS.slice(0, 5);
/** Heartbeat times 0, step, 2 × step, ... (`count` of them). */
const every = (step: number, count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i * step);

describe('FailureDetector', () => {
  it('[1] suspects a node initialTimeoutMs after its last heartbeat while it has few intervals', () => {
    const { net, beatAt, changes } = world();
    beatAt('w', every(100, 4)); // 3 intervals: fewer than minSamples (10)
    net.advance(5_000);
    expect(changes, 'heartbeats arrived at 5, 105, 205, 305 ms; the default initialTimeoutMs is 1000').toEqual([{ node: 'w', suspected: true, t: 1_305 }]);
  });

  it('[1] switches to the learnt timeout at exactly minSamples intervals, not one later', () => {
    const { net, detector, beatAt } = world({ detector: { minSamples: 3 } });
    beatAt('w', every(100, 3));
    net.advance(250);
    expect(detector.timeoutMs('w'), 'heartbeats at 5, 105, 205 ms: 2 intervals, fewer than minSamples (3)').toBe(1_000);
    beatAt('w', [300]);
    net.advance(100);
    expect(
      detector.timeoutMs('w'),
      'a fourth heartbeat makes 3 intervals of 100 ms, exactly minSamples (3): the initial timeout is only for fewer than minSamples intervals (compare with <, not <=), so the learnt 100 + 6 × 5 applies (item 1)',
    ).toBe(130);
  });

  it('[2] times out after mean + k × max(deviation, minDeviationMs) of the intervals', () => {
    const { net, detector, beatAt, suspicionsOf } = world();
    beatAt('w', every(100, 21));
    net.advance(2_100);
    expect(detector.timeoutMs('w'), '20 intervals of exactly 100 ms: deviation 0, floored at 5, k = 6').toBe(130);
    net.advance(1_000);
    expect(suspicionsOf('w'), 'last heartbeat at 2005 ms').toEqual([2_135]);
  });

  it('[2] uses the standard deviation of the intervals, k and minDeviationMs from the options', () => {
    const alternating = every(200, 11).flatMap((t) => [t, t + 80]).slice(0, 21); // intervals 80, 120, 80, ...
    const { net, detector, beatAt, suspicionsOf } = world({ detector: { k: 2, minDeviationMs: 1 } });
    beatAt('w', alternating);
    beatAt('regular', every(100, 21));
    net.advance(2_100);
    expect(detector.timeoutMs('w'), 'intervals 80 and 120: mean 100, standard deviation 20; 100 + 2 × 20').toBe(140);
    expect(detector.timeoutMs('regular'), 'deviation 0, floored at minDeviationMs 1: 100 + 2 × 1').toBe(102);
    net.advance(1_000);
    expect(suspicionsOf('w'), 'last heartbeat at 2005 ms').toEqual([2_145]);
  });

  it('[3] learns only from the latest window intervals', () => {
    const { net, detector, beatAt } = world({ detector: { window: 10 } });
    beatAt('w', [...every(300, 11), ...every(100, 10, 3_100)]);
    net.advance(4_050);
    expect(detector.timeoutMs('w'), 'the last 10 intervals are 100 ms each; the 300 ms ones are forgotten').toBe(130);
  });

  it('[4] reports each change of verdict once, and trusts a suspected node again at its next heartbeat', () => {
    const { net, detector, beatAt, changes } = world();
    expect(detector.isSuspected('w'), 'a node never heard from is not suspected').toBe(false);
    beatAt('w', [...every(100, 21), 10_000]);
    net.advance(5_000);
    expect(detector.isSuspected('w')).toBe(true);
    net.advance(10_000);
    expect(detector.isSuspected('w')).toBe(false);
    expect(changes.map((c) => [c.suspected, c.t]), 'one suspicion for a long silence, one "trusted again" at 10005 ms').toEqual([
      [true, 2_135],
      [false, 10_005],
    ]);
  });

  it('[4] has isSuspected give the new verdict already inside onChange', () => {
    const inside: string[] = [];
    const { net, detector, beatAt } = world({ listen: (node, suspected) => inside.push(`onChange(${suspected}): isSuspected ${detector.isSuspected(node)}`) });
    beatAt('w', [...every(100, 21), 10_000]);
    net.advance(11_000);
    expect(inside, 'isSuspected(node), asked inside onChange, gave the old verdict: store the new verdict before calling onChange').toEqual([
      'onChange(true): isSuspected true',
      'onChange(false): isSuspected false',
    ]);
  });

  it('[4] reports "trusted again" when a suspected node comes back as a new incarnation', () => {
    const { net, detector, beatAt, changes, followsTheRules } = world();
    beatAt('w', every(100, 21), 1);
    beatAt('w', every(100, 5, 7_000), 2);
    net.advance(7_050);
    followsTheRules();
    expect(detector.isSuspected('w'), 'the restarted w beats again').toBe(false);
    expect(changes.map((c) => [c.suspected, c.t]), 'suspected after its first process fell silent, trusted again at the first heartbeat of the new one').toEqual([
      [true, 2_135],
      [false, 7_005],
    ]);
  });

  it('[5] starts a fresh history for a new incarnation: the restart gap is not an interval', () => {
    const { net, detector, beatAt } = world();
    beatAt('w', every(100, 21), 1);
    beatAt('w', every(100, 5, 7_000), 2);
    net.advance(7_450);
    expect(detector.timeoutMs('w'), 'incarnation 2 has 4 intervals: the initial timeout').toBe(1_000);
    beatAt('w', every(100, 10, 7_500), 2);
    net.advance(1_000);
    expect(detector.timeoutMs('w'), '14 intervals of 100 ms since the restart').toBe(130);
  });

  it('[5] ignores a late heartbeat of an older incarnation: no fresh history, no restarted timer, no "trusted again"', () => {
    const { net, detector, beatAt, changes } = world();
    beatAt('w', every(100, 21), 2);
    beatAt('w', [2_050, 3_000], 1);
    net.advance(2_100);
    expect(
      detector.timeoutMs('w'),
      'a heartbeat of incarnation 1 arrived at 2050 ms, after incarnation 2 had 20 intervals: it is a late message of an older process and must not start a fresh history (the initial timeout): compare incarnations by order, not by difference',
    ).toBe(130);
    net.advance(1_000);
    expect(
      changes.map((c) => [c.suspected, c.t]),
      "suspected 130 ms after incarnation 2's last heartbeat (2005 ms); the late heartbeats of incarnation 1 at 2050 and 3000 ms neither restart its timer nor make it trusted again",
    ).toEqual([[true, 2_135]]);
  });

  it('[6] watches several nodes, each with its own history and verdict', () => {
    const { net, detector, beatAt, suspicionsOf } = world();
    beatAt('fast', every(100, 21));
    beatAt('slow', every(300, 21));
    net.advance(6_100);
    expect(detector.timeoutMs('slow')).toBe(330);
    expect(suspicionsOf('fast'), 'fast went silent after 2005 ms').toEqual([2_135]);
    expect(suspicionsOf('slow'), 'slow is still beating at 6005 ms').toEqual([]);
  });

  it('[7] on a steady network, never suspects the live worker and detects every crash within 200 ms (5 seeds)', () => {
    for (const seed of STEADY_SEEDS) {
      const { falseSuspicions, detections } = environmentRun(seed, STEADY);
      expect(falseSuspicions, `seed ${seed}: false suspicions in 2 minutes`).toBe(0);
      expect(Math.max(...detections), `seed ${seed}: slowest detection (ms)`).toBeLessThanOrEqual(200);
    }
  });

  it('[8] on a jittery network with pauses, keeps false suspicions and detection times within their bounds (8 seeds)', () => {
    let falseSuspicions = 0;
    const detections: number[] = [];
    for (const seed of SEEDS) {
      const run = environmentRun(seed, JITTERY);
      falseSuspicions += run.falseSuspicions;
      detections.push(...run.detections);
      expect(Math.max(...run.detections), `seed ${seed}: slowest detection (ms)`).toBeLessThanOrEqual(1_500);
    }
    expect(falseSuspicions, 'false suspicions in 8 runs of 2 minutes (at most 8 a run on average)').toBeLessThanOrEqual(64);
    const meanDetection = detections.reduce((a, b) => a + b, 0) / detections.length;
    expect(meanDetection, 'mean detection time (ms)').toBeLessThanOrEqual(500);
  });

  it('[9] property: random heartbeat schedules, restarts and settings; verdicts alternate, trusted again at a heartbeat, a crash suspected, initialTimeoutMs while the history is short (fast-check, 50 runs)', async () => {
    await holds(beatRuns({ nodes: 3, beats: 25 }), (run) => playBeats(run), { seed: 13, numRuns: 50, steps: beatSteps });
  });
});

canaries();
