/**
 * Traces of failing network checks: a check that runs on netsim follows its network with
 * `traced(net, seed)`, and when it fails, its failure carries the seed and a timeline of what
 * crossed the network at the end of the run (lines marked `[netsim] `, which the grader shows
 * under the failure). When the grader asks for traces (checker/grade/checks-env.ts), the run (its
 * last DRAWN events) is also written to its folder as a mermaid sequence diagram,
 * `<exercise>/<check>.mmd`, which the grader draws as an SVG beside it; with every run asked for,
 * for passing checks too. A passing check pays only for the hooks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, onTestFailed, onTestFinished, type TestContext } from 'vitest';
import { readChecksEnv } from '../grade/checks-env';
import { toMermaid, type Network, type TraceEvent } from '../../toolkit/netsim';

/** How the lines of a trace begin, in a failure's text. */
const MARK = '[netsim] ';
/** Events of the timeline: the last ones, where a run goes wrong. */
const SHOWN = 24;
/** Events of the diagram: a longer run is drawn from its end, where it goes wrong (mermaid has a size limit). */
const DRAWN = 400;

type Task = TestContext['task'];
let followed: { net: Network; seed: number } | undefined;
let hooked = false;

beforeEach(() => {
  followed = undefined;
  hooked = false;
});

const short = (payload: unknown) => {
  const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? String(payload));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** One event as a line of the timeline. */
function describe(event: TraceEvent): string {
  const at = `${`t=${Number.isInteger(event.t) ? event.t : event.t.toFixed(1)}`.padEnd(8)} `;
  switch (event.kind) {
    case 'send':
      return `${at}${event.from} sends ${short(event.payload)} to ${event.to}`;
    case 'deliver':
      return `${at}${event.to} receives ${short(event.payload)} from ${event.from}${event.copy ? ' (a duplicate copy)' : ''}`;
    case 'drop':
      return `${at}lost: ${short(event.payload)} from ${event.from} to ${event.to}${event.reason === 'loss' ? '' : ` (${event.reason})`}`;
    case 'duplicate':
      return `${at}the network copies ${short(event.payload)} from ${event.from} to ${event.to}`;
    case 'crash':
    case 'restart':
      return `${at}${event.node} ${event.kind === 'crash' ? 'crashes' : 'restarts'}`;
    case 'partition':
      return `${at}partition: ${event.groups.map((group) => group.join(' ')).join(' | ')}`;
    case 'heal':
      return `${at}the partition heals`;
  }
}

/** The timeline of a run, as the lines a failure carries. */
function timeline(net: Network, seed: number): string {
  const events = net.trace;
  const shown = events.slice(-SHOWN).map(describe);
  const head = `seed ${seed}, ${events.length} events${events.length > SHOWN ? `, the last ${SHOWN}` : ''} (virtual time in ms):`;
  return [head, ...shown].map((text) => `${MARK}${text}`).join('\n');
}

/** What the diagram of a run of `events` events shows. */
const drawnPart = (events: number) => (events > DRAWN ? `the last ${DRAWN} of its ${events} events` : 'the whole run');

/** Writes the run as a mermaid diagram where the grader asked for it; returns the file. */
function writeDiagram(task: Task, net: Network): string | undefined {
  const dir = readChecksEnv().traces?.dir;
  if (!dir) return undefined;
  // exercises/NN-slug/checks.test.ts and solutions/NN-slug/hidden.test.ts: the folder names the exercise.
  const exercise = path.basename(path.dirname(task.file.name));
  const name = task.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
  fs.mkdirSync(path.join(dir, exercise), { recursive: true });
  const file = path.join(dir, exercise, `${name}.mmd`);
  fs.writeFileSync(file, `${toMermaid(net.trace.slice(-DRAWN))}\n`);
  return file;
}

/** Follows `net`, built from `seed`, in the running check (the last one followed is the one shown). */
export function traced(net: Network, seed: number): Network {
  followed = { net, seed };
  if (!hooked) {
    hooked = true;
    onTestFailed(({ task }) => {
      if (!followed) return;
      const diagram = writeDiagram(task, followed.net);
      const lines = timeline(followed.net, followed.seed) + (diagram ? `\n${MARK}${drawnPart(followed.net.trace.length)}, as a sequence diagram: ${diagram}` : '');
      for (const error of task.result?.errors ?? []) error.stack = `${error.stack ?? error.message}\n${lines}`;
    });
    if (readChecksEnv().traces?.all) {
      onTestFinished(({ task }) => {
        if (followed && task.result?.state === 'pass') writeDiagram(task, followed.net);
      });
    }
  }
  return net;
}
