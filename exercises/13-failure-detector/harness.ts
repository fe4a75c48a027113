/**
 * What the public and hidden checks of exercise 13 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import fc from 'fast-check';
import { Network, Random, exponential, uniform, type Delay, type LinkFaults, type MessageHandler } from '../../toolkit/netsim';
import { brokeAt, traced } from '../../checker/shared/netsim-trace';

type DetectorModule = typeof import('@submission/13-failure-detector/failure-detector');
type DetectorOptions = import('@submission/13-failure-detector/failure-detector').FailureDetectorOptions;
let detecting: DetectorModule;

beforeEach(async () => {
  detecting = await import('@submission/13-failure-detector/failure-detector');
});

/** A change of verdict, as your detector reported it. */
export interface Change {
  node: string;
  suspected: boolean;
  t: number;
}

/**
 * Node "monitor" runs your FailureDetector; the checks add the watched nodes. `listen` is called
 * inside every onChange call, after the checks recorded it. Each change of verdict is marked in the
 * run's trace, over the monitor ("suspects w", "trusts w again"), and so is the first report that
 * breaks the rules.
 */
export function world(options: { seed?: number; faults?: LinkFaults; detector?: DetectorOptions; listen?: (node: string, suspected: boolean) => void } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const random = new Random(seed);
  const changes: Change[] = [];
  /**
   * The verdict of each node as the onChange calls said it, and nothing else: the checks never
   * assume a change your detector did not report.
   */
  const reported = new Map<string, Change>();
  let problem: string | undefined;
  const at = (t: number) => Math.round(t * 10) / 10;
  const onChange = (node: string, suspected: boolean) => {
    const t = net.now();
    net.note('monitor', suspected ? `suspects ${node}` : `trusts ${node} again`);
    const before = reported.get(node);
    if ((before?.suspected ?? false) === suspected) {
      problem ??= suspected
        ? `onChange('${node}', true) came at t=${at(t)}, but ${node} was suspected already, since t=${at(before?.t ?? 0)}, with no onChange('${node}', false) in between: if a heartbeat (a new incarnation too) made it trusted again, that change must be reported (items 4, 5)`
        : `onChange('${node}', false) came at t=${at(t)}, but ${node} was not suspected${before ? ` (it was trusted again at t=${at(before.t)})` : ''}: onChange reports a change of verdict, once (item 4)`;
      brokeAt(t, `onChange('${node}', ${suspected}) twice`);
    }
    const change = { node, suspected, t };
    reported.set(node, change);
    changes.push(change);
    options.listen?.(node, suspected);
  };
  // Watches every heartbeat the detector takes: afterwards, isSuspected must say what onChange said.
  const endpoint = net.addNode('monitor');
  const onMessage = endpoint.onMessage.bind(endpoint);
  endpoint.onMessage = <T>(handler: MessageHandler<T>) =>
    onMessage<T>((message) => {
      handler(message);
      const node = message.from;
      const said = reported.get(node)?.suspected ?? false;
      if (detector.isSuspected(node) !== said) {
        const incarnation = (message.payload as { incarnation?: unknown }).incarnation;
        problem ??= said
          ? `after ${node}'s heartbeat at t=${at(net.now())} (incarnation ${typeof incarnation === 'number' ? at(incarnation) : String(incarnation)}) isSuspected('${node}') is false, but no onChange('${node}', false) was reported: a node that is trusted again, also as a new incarnation, must be reported (items 4, 5)`
          : `after ${node}'s heartbeat at t=${at(net.now())} isSuspected('${node}') is true, but onChange never said ${node} was suspected (item 4)`;
        brokeAt(net.now(), `isSuspected('${node}') is ${!said}, unreported`);
      }
    });
  const detector = new detecting.FailureDetector(endpoint, onChange, options.detector);
  /** Throws, in words, the first report that did not match the verdicts onChange gave so far. */
  const followsTheRules = () => {
    if (problem) throw new Error(problem);
  };

  /**
   * Starts (or restarts) node `id` sending a heartbeat to the monitor every `everyMs`, with a new
   * incarnation, and after a share `pauseChance` of its heartbeats a pause (exponential, mean
   * `meanPauseMs`), as a garbage collection would.
   */
  const beat = (id: string, { everyMs = 100, pauseChance = 0, meanPauseMs = 0 } = {}) => {
    const node = net.nodes.includes(id) ? net.node(id) : net.addNode(id);
    const incarnation = net.now();
    const send = () => {
      node.send('monitor', { kind: 'beat', incarnation });
      const pause = random.chance(pauseChance) ? random.exponential(meanPauseMs) : 0;
      node.setTimeout(send, everyMs + pause);
    };
    send();
  };
  /** Node `id` sends heartbeats of `incarnation` at exactly these virtual times. */
  const beatAt = (id: string, times: number[], incarnation = 0) => {
    if (!net.nodes.includes(id)) net.addNode(id);
    for (const t of times) net.clock.setTimeout(() => net.send(id, 'monitor', { kind: 'beat', incarnation }), t - net.now());
  };
  const suspicionsOf = (node: string) => changes.filter((c) => c.node === node && c.suspected).map((c) => c.t);
  return { net, random, detector, changes, beat, beatAt, suspicionsOf, followsTheRules };
}

/** A network and a worker, as in lesson 12. */
export interface Environment {
  delay: Delay;
  pauseChance: number;
  meanPauseMs: number;
  /**
   * What the checks hold each run to (items 7 and 8): the false suspicions it may have, the time a
   * crash may take to be suspected. They only say where a failed run's trace is drawn: around the
   * first moment one was broken. The checks state and enforce them.
   */
  bounds: { falseSuspicions?: number; detectionMs: number };
}
export const STEADY: Environment = { delay: uniform(5, 15), pauseChance: 0, meanPauseMs: 0, bounds: { falseSuspicions: 0, detectionMs: 200 } };
export const JITTERY: Environment = { delay: exponential(20), pauseChance: 0.01, meanPauseMs: 250, bounds: { detectionMs: 1_500 } };

/** The worker crashes every CRASH_EVERY_MS and stays down for DOWN_MS. */
const CRASH_EVERY_MS = 30_000;
const DOWN_MS = 5_000;

/**
 * `minutes` of virtual time in which a worker beats every 100 ms and crashes every 30 s for 5 s (at a
 * random moment of a heartbeat interval): how long each crash took to be suspected (crashes that
 * came while the worker was already suspected are left out), and how often the live worker was
 * suspected.
 */
export function environmentRun(seed: number, environment: Environment, minutes = 2) {
  const { net, random, beat, changes, followsTheRules } = world({ seed, faults: { delay: environment.delay } });
  const heartbeats = { pauseChance: environment.pauseChance, meanPauseMs: environment.meanPauseMs };
  beat('worker', heartbeats);
  const crashes: number[] = [];
  for (let start = CRASH_EVERY_MS; start + DOWN_MS < minutes * 60_000; start += CRASH_EVERY_MS) {
    const at = start + random.uniform(0, 100);
    crashes.push(at);
    net.clock.setTimeout(() => net.crash('worker'), at);
    net.clock.setTimeout(() => {
      net.restart('worker');
      beat('worker', heartbeats);
    }, at + DOWN_MS);
  }
  net.advance(minutes * 60_000);
  followsTheRules();
  const verdicts = changes.filter((c) => c.node === 'worker');
  const suspectedAt = (t: number) => verdicts.filter((c) => c.t <= t).at(-1)?.suspected ?? false;
  const isDown = (t: number) => crashes.some((at) => t >= at && t < at + DOWN_MS);
  const counted = crashes.filter((at) => !suspectedAt(at));
  const detections = counted.map((at) => (verdicts.find((c) => c.suspected && c.t >= at && c.t < at + DOWN_MS)?.t ?? Infinity) - at);
  const falseSuspicions = verdicts.filter((c) => c.suspected && !isDown(c.t));
  // The first moment a bound broke: where a failure's trace is drawn.
  const { bounds } = environment;
  const tooMany = bounds.falseSuspicions === undefined ? undefined : falseSuspicions[bounds.falseSuspicions];
  const late = detections.findIndex((ms) => ms > bounds.detectionMs);
  if (tooMany) brokeAt(tooMany.t, 'the live worker suspected');
  else if (late >= 0) brokeAt(counted[late] + bounds.detectionMs, `the crash at t=${round(counted[late])} not suspected yet`);
  return { falseSuspicions: falseSuspicions.length, detections };
}

/** The options of a property run's detector (all given, so that the checks know them). */
export interface Settings {
  k: number;
  window: number;
  minSamples: number;
  minDeviationMs: number;
  initialTimeoutMs: number;
}

/** One watched node of a property run: the gaps between its heartbeats, and where it restarts. */
export interface Beating {
  /** Its first heartbeat is sent at this time. */
  startMs: number;
  /** The time from each heartbeat to the next; after the last one, it stays silent (it crashed). */
  gapsMs: number[];
  /** From this heartbeat on (an index into its heartbeats), it is a new incarnation, if at all. */
  restartAt: number;
}

/** A property run: a detector's settings and the nodes that beat to it. */
export interface BeatRun {
  settings: Settings;
  nodes: Beating[];
}

/** Property runs of up to `most.nodes` nodes of up to `most.beats` heartbeats each. */
export const beatRuns = (most: { nodes: number; beats: number }): fc.Arbitrary<BeatRun> =>
  fc.record({
    settings: fc.record({
      k: fc.integer({ min: 1, max: 6 }),
      window: fc.integer({ min: 2, max: 12 }),
      minSamples: fc.integer({ min: 1, max: 8 }),
      minDeviationMs: fc.integer({ min: 1, max: 20 }),
      initialTimeoutMs: fc.integer({ min: 100, max: 1_000 }),
    }),
    nodes: fc.array(
      fc.record({
        startMs: fc.integer({ min: 0, max: 500 }),
        gapsMs: fc.array(fc.oneof({ arbitrary: fc.integer({ min: 50, max: 150 }), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 2_000 }), weight: 1 }), { maxLength: most.beats }),
        restartAt: fc.integer({ min: 1, max: most.beats + 1 }),
      }),
      { minLength: 1, maxLength: most.nodes },
    ),
  });

/** Times in failure messages, to a tenth of a millisecond. */
export const round = (x: number) => Math.round(x * 10) / 10;
/** Heartbeats take this long to arrive (fixed, so that the checks know every arrival). */
export const BEAT_DELAY_MS = 5;

/** The node names of a property run. */
export const nodeName = (i: number) => `n${i + 1}`;

/** A heartbeat of a property run's node as it arrives: when, and how many intervals its incarnation has had by then. */
interface Arrival {
  t: number;
  intervals: number;
}

/** When each heartbeat of `beating` arrives (a new incarnation has had no interval yet). */
function arrivalsOf(beating: Beating): Arrival[] {
  const arrivals: Arrival[] = [];
  let t = beating.startMs + BEAT_DELAY_MS;
  let intervals = 0;
  for (let b = 0; b <= beating.gapsMs.length; b++) {
    if (b > 0) {
      t += beating.gapsMs[b - 1];
      intervals = b === beating.restartAt ? 0 : intervals + 1;
    }
    arrivals.push({ t, intervals });
  }
  return arrivals;
}

/**
 * What the README states of one node's changes of verdict, whatever its detector's settings: a
 * node is trusted again only when one of its heartbeats arrives, and then at once; it is suspected
 * only after a heartbeat arrived, and its final silence (it crashed) is suspected; while it has had
 * fewer than `minSamples` intervals (of the latest `window`, since its incarnation began), it is
 * suspected exactly `initialTimeoutMs` after its last heartbeat, unless the next comes first.
 * Returns the first thing that breaks them, in words.
 */
function brokenPromise(node: string, beating: Beating, settings: Settings, changes: Change[]): string | undefined {
  const arrivals = arrivalsOf(beating);
  const arrivesAt = (t: number) => arrivals.some((a) => Math.abs(a.t - t) < 0.01);
  for (const change of changes) {
    if (!change.suspected && !arrivesAt(change.t)) return `onChange('${node}', false) came at t=${round(change.t)}, when no heartbeat of ${node} arrived: a node is trusted again at its next heartbeat (item 4)`;
    if (change.suspected && change.t <= arrivals[0].t) return `onChange('${node}', true) came at t=${round(change.t)}, before ${node}'s first heartbeat arrived, at t=${round(arrivals[0].t)} (item 1)`;
  }
  for (const arrival of arrivals) {
    const before = changes.filter((c) => c.t < arrival.t - 0.01).at(-1);
    if (before?.suspected && !changes.some((c) => !c.suspected && Math.abs(c.t - arrival.t) < 0.01)) {
      return `${node} was suspected since t=${round(before.t)}, and its heartbeat at t=${round(arrival.t)} did not make it trusted again: no onChange('${node}', false) came then (item 4${arrival.intervals === 0 && arrival !== arrivals[0] ? ', 5: a new incarnation too' : ''})`;
    }
  }
  if (changes.at(-1)?.suspected !== true) return `${node} fell silent for good after its heartbeat at t=${round(arrivals.at(-1)?.t ?? 0)} (it crashed), but it was never suspected after it (items 1, 2, 4)`;
  const { initialTimeoutMs, minSamples, window } = settings;
  for (const [i, arrival] of arrivals.entries()) {
    if (Math.min(arrival.intervals, window) >= minSamples) continue;
    const next = arrivals[i + 1]?.t ?? Infinity;
    const due = arrival.t + initialTimeoutMs;
    if (Math.abs(next - due) < 0.01) continue; // a tie: either order is right
    const history = `${arrival.intervals === 0 ? 'no interval' : `${Math.min(arrival.intervals, window)} ${arrival.intervals === 1 ? 'interval' : 'intervals'}`} of its incarnation, fewer than minSamples (${minSamples})`;
    const suspicions = changes.filter((c) => c.suspected && c.t > arrival.t + 0.01 && c.t < Math.min(next, due) - 0.01);
    if (suspicions.length > 0) return `onChange('${node}', true) came at t=${round(suspicions[0].t)}, but after its heartbeat at t=${round(arrival.t)}, with ${history}, it is suspected only initialTimeoutMs (${initialTimeoutMs} ms) later, at t=${round(due)} (items 1, 5)`;
    if (next > due && !changes.some((c) => c.suspected && Math.abs(c.t - due) < 0.01)) {
      return `onChange('${node}', true) was due at t=${round(due)}: its heartbeat at t=${round(arrival.t)}, with ${history}, sets a timeout of initialTimeoutMs (${initialTimeoutMs} ms) and ${next === Infinity ? 'none came after it' : `the next came at t=${round(next)}`} (items 1, 5)`;
    }
  }
  return undefined;
}

/**
 * Plays a property run: each node beats at its times (a fixed delay of 5 ms) and then goes silent;
 * throws, in words, the first report that does not alternate per node or disagrees with
 * `isSuspected`, what `judge` (the hidden checks' model of the rules) finds wrong with a node's
 * changes of verdict, or the first change that breaks what the README states of every run.
 */
export function playBeats(run: BeatRun, judge?: (node: string, beating: Beating, changes: Change[]) => string | undefined): void {
  const { net, changes, followsTheRules } = world({ faults: { delay: BEAT_DELAY_MS }, detector: run.settings });
  let end = 0;
  run.nodes.forEach((beating, i) => {
    const node = nodeName(i);
    net.addNode(node);
    let t = beating.startMs;
    for (let b = 0; b <= beating.gapsMs.length; b++) {
      if (b > 0) t += beating.gapsMs[b - 1];
      const incarnation = b >= beating.restartAt ? 2 : 1;
      net.clock.setTimeout(() => net.send(node, 'monitor', { kind: 'beat', incarnation }), t);
    }
    end = Math.max(end, t);
  });
  net.advance(end + 10 * run.settings.initialTimeoutMs + 10_000);
  followsTheRules();
  run.nodes.forEach((beating, i) => {
    const node = nodeName(i);
    const got = changes.filter((c) => c.node === node);
    const problem = judge?.(node, beating, got) ?? brokenPromise(node, beating, run.settings, got);
    if (problem) throw new Error(problem);
  });
}

/** A property run in words: the steps of a failure's smallest run. */
export function beatSteps(run: BeatRun): string[] {
  const { k, window, minSamples, minDeviationMs, initialTimeoutMs } = run.settings;
  return [
    `a detector with k ${k}, window ${window}, minSamples ${minSamples}, minDeviationMs ${minDeviationMs}, initialTimeoutMs ${initialTimeoutMs}`,
    ...run.nodes.map((beating, i) => {
      const gaps = beating.gapsMs.map((gap, b) => (b + 1 === beating.restartAt ? `${gap} (restarts)` : `${gap}`)).join(', ');
      return `${nodeName(i)} beats at t=${beating.startMs}${gaps ? `, then after ${gaps} ms` : ''}, then falls silent (heartbeats take ${BEAT_DELAY_MS} ms)`;
    }),
  ];
}
