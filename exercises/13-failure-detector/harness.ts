/**
 * What the public and hidden checks of exercise 13 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, Random, exponential, uniform, type Delay, type LinkFaults } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';

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

/** Node "monitor" runs your FailureDetector; the checks add the watched nodes. */
export function world(options: { seed?: number; faults?: LinkFaults; detector?: DetectorOptions } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const random = new Random(seed);
  const changes: Change[] = [];
  const detector = new detecting.FailureDetector(net.addNode('monitor'), (node, suspected) => void changes.push({ node, suspected, t: net.now() }), options.detector);

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
  return { net, random, detector, changes, beat, beatAt, suspicionsOf };
}

/** A network and a worker, as in lesson 12. */
export interface Environment {
  delay: Delay;
  pauseChance: number;
  meanPauseMs: number;
}
export const STEADY: Environment = { delay: uniform(5, 15), pauseChance: 0, meanPauseMs: 0 };
export const JITTERY: Environment = { delay: exponential(20), pauseChance: 0.01, meanPauseMs: 250 };

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
  const { net, random, beat, changes } = world({ seed, faults: { delay: environment.delay } });
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
  const verdicts = changes.filter((c) => c.node === 'worker');
  const suspectedAt = (t: number) => verdicts.filter((c) => c.t <= t).at(-1)?.suspected ?? false;
  const isDown = (t: number) => crashes.some((at) => t >= at && t < at + DOWN_MS);
  const detections = crashes
    .filter((at) => !suspectedAt(at))
    .map((at) => (verdicts.find((c) => c.suspected && c.t >= at && c.t < at + DOWN_MS)?.t ?? Infinity) - at);
  return { falseSuspicions: verdicts.filter((c) => c.suspected && !isDown(c.t)).length, detections };
}
