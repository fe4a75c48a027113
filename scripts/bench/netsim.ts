/**
 * `npm run bench:netsim`: how many messages per wall-clock second netsim delivers under a
 * loss-and-delay workload, with the trace off and on, against the goals (2,000,000/s off,
 * 1,000,000/s on). The anchor, measured in the same run, is a minimal event loop doing the same
 * work with no network model: a binary-heap timer queue delivering the same messages (same loss,
 * duplication and delays, drawn from the same seeded generator) to the same handler. The ratio
 * netsim / anchor is what the network model and its trace cost.
 *
 * Each workload runs ROUNDS times, interleaved, and the best round counts: on a shared machine
 * the slower rounds measure the neighbours. The load average is printed with the results.
 */
import os from 'node:os';
import { Network, Random, uniform } from '../../toolkit/netsim';

const MESSAGES = 2_000_000;
const WAVE = 10_000;
const WAVE_GAP_MS = 10;
const LOSS = 0.1;
const DUPLICATE = 0.01;
const DELAY = { min: 1, max: 50 };
const ROUNDS = 3;
const GOALS = { 'trace off': 2_000_000, 'trace on': 1_000_000 } as const;

interface Result {
  delivered: number;
  seconds: number;
}

function timed(run: () => number): Result {
  const started = process.hrtime.bigint();
  const delivered = run();
  return { delivered, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** netsim: sends in waves so that about 45,000 messages are on the wire at any time. */
function netsim(trace: boolean): number {
  const net = new Network({ seed: 1, faults: { loss: LOSS, duplicate: DUPLICATE, delay: uniform(DELAY.min, DELAY.max) }, trace });
  let received = 0;
  net.addNode('producer');
  net.addNode('consumer', () => received++);
  for (let sent = 0; sent < MESSAGES; sent += WAVE) {
    for (let i = 0; i < WAVE; i++) net.send('producer', 'consumer', i);
    net.advance(WAVE_GAP_MS);
  }
  net.runUntilIdle();
  if (received !== net.stats.delivered) throw new Error('handler count and stats disagree');
  return received;
}

interface Pending {
  at: number;
  seq: number;
  message: { id: number; from: string; to: string; payload: unknown; sentAt: number; copy: boolean };
}

/** The anchor: the same messages through a textbook binary heap of event objects, no network. */
function anchor(): number {
  const heap: Pending[] = [];
  const before = (a: Pending, b: Pending) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (item: Pending) => {
    let i = heap.push(item) - 1;
    while (i > 0 && before(item, heap[(i - 1) >> 1])) {
      heap[i] = heap[(i - 1) >> 1];
      i = (i - 1) >> 1;
    }
    heap[i] = item;
  };
  const pop = (): Pending => {
    const top = heap[0];
    const last = heap.pop() as Pending;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  };
  const random = new Random(1);
  let now = 0;
  let seq = 0;
  let id = 0;
  let received = 0;
  const handler = (message: Pending['message']) => {
    if (message.to === 'consumer') received++;
  };
  const launch = (message: Pending['message']) => push({ at: now + random.uniform(DELAY.min, DELAY.max), seq: seq++, message });
  const runUntil = (until: number) => {
    while (heap.length > 0 && heap[0].at <= until) {
      const next = pop();
      now = next.at;
      handler(next.message);
    }
  };
  for (let sent = 0; sent < MESSAGES; sent += WAVE) {
    for (let i = 0; i < WAVE; i++) {
      id++;
      if (random.chance(LOSS)) continue;
      launch({ id, from: 'producer', to: 'consumer', payload: i, sentAt: now, copy: false });
      if (random.chance(DUPLICATE)) launch({ id, from: 'producer', to: 'consumer', payload: i, sentAt: now, copy: true });
    }
    runUntil(now + WAVE_GAP_MS);
    now += WAVE_GAP_MS;
  }
  runUntil(Infinity);
  return received;
}

const workloads = {
  anchor: () => anchor(),
  'trace off': () => netsim(false),
  'trace on': () => netsim(true),
};
type Name = keyof typeof workloads;

const perSecond = ({ delivered, seconds }: Result) => delivered / seconds;
const format = (n: number) => Math.round(n).toLocaleString('en-US');

const loadBefore = os.loadavg()[0];
for (const run of Object.values(workloads)) run(); // warm up the JIT
const best = new Map<Name, Result>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(workloads) as [Name, () => number][]) {
    const result = timed(run);
    const previous = best.get(name);
    if (!previous || perSecond(result) > perSecond(previous)) best.set(name, result);
  }
}
const loadAfter = os.loadavg()[0];

const anchorResult = best.get('anchor') as Result;
if (new Set([...best.values()].map((r) => r.delivered)).size !== 1) throw new Error('the workloads delivered different numbers of messages');
console.log(`${format(anchorResult.delivered)} deliveries per run; best of ${ROUNDS} rounds; ${os.cpus().length} cores, load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
console.log(`anchor (bare binary-heap event loop): ${anchorResult.seconds.toFixed(2)} s = ${format(perSecond(anchorResult))} deliveries/s`);
for (const name of ['trace off', 'trace on'] as const) {
  const result = best.get(name) as Result;
  const rate = perSecond(result);
  console.log(
    `netsim, ${name.padEnd(9)}: ${result.seconds.toFixed(2)} s = ${format(rate)} deliveries/s = ` +
      `${(rate / GOALS[name]).toFixed(2)}x the goal of ${format(GOALS[name])}/s; ${(result.seconds / anchorResult.seconds).toFixed(2)}x the anchor's time`,
  );
}
