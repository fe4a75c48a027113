/**
 * Traces of failing network checks: a check that runs on netsim follows its network with
 * `traced(net, seed)`, and when it fails, its failure carries the seed and a timeline of what
 * crossed the network at the end of the run (lines marked `[netsim] `, which the grader shows
 * under the failure). When the grader asks for traces (checker/grade/checks-env.ts), the run (as
 * much of its end as DRAWN lines hold) is also written to its folder as a mermaid sequence diagram,
 * `<exercise>/<check>.mmd`, which the grader draws as an SVG beside it; with every run asked for,
 * for passing checks too. A passing check pays only for the hooks. In both, a long run of the same
 * exchange (heartbeats, say) is shortened to its first and last occurrence and a line that says
 * how many were left out, and when.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, onTestFailed, onTestFinished, type TestContext } from 'vitest';
import { readChecksEnv } from '../grade/checks-env';
import { toMermaid, type Network, type TraceEvent } from '../../toolkit/netsim';
import { shapeOf, shortenRepeats } from '../../toolkit/netsim/repeats';

/** How the lines of a trace begin, in a failure's text. */
const MARK = '[netsim] ';
/** Lines of the timeline: the last ones, where a run goes wrong. */
const SHOWN = 24;
/** Lines of the diagram: a longer run is drawn from its end, where it goes wrong (mermaid has a size limit). */
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

/** An event's line without its time, numbers made alike: what repeats when a run repeats itself. */
const lineShape = (event: TraceEvent) => shapeOf(describe(event).replace(/^t=\S+\s+/, ''));

/**
 * The timeline of a run, as the lines a failure carries: its last events, with a long run of the
 * same exchange (heartbeats, say) shortened to its first and last occurrence and a line between.
 */
function timeline(net: Network, seed: number): string {
  const events = net.trace;
  const lines: string[] = [];
  // A run that fits is shown whole: in a short run, the times of repeats may be the point.
  const stretches = events.length <= SHOWN ? events.map((item) => ({ kind: 'item' as const, item })) : shortenRepeats(events.slice(-SHOWN * 40), lineShape);
  for (const stretch of stretches) {
    if (stretch.kind === 'item') lines.push(describe(stretch.item));
    else {
      const { first, omitted, last, times } = stretch;
      const span = `t=${omitted[0].t} to t=${omitted[omitted.length - 1].t}`;
      lines.push(...first.map(describe), `… the same ${first.length === 1 ? 'event' : `${first.length} events`} ${times} more time${times === 1 ? '' : 's'}, ${span} …`, ...last.map(describe));
    }
  }
  const shown = lines.slice(-SHOWN);
  const head = `seed ${seed}, ${events.length} events${lines.length > SHOWN || events.length > SHOWN * 40 ? `, the last ${shown.length} lines` : ''}${lines.length < Math.min(events.length, SHOWN * 40) ? ', repeats shortened' : ''} (virtual time in ms):`;
  return [head, ...shown].map((text) => `${MARK}${text}`).join('\n');
}

const diagramOf = (events: readonly TraceEvent[]) => toMermaid(events, { shortenRepeats: true });
const linesOf = (diagram: string) => diagram.split('\n').length;

/**
 * The longest end of the run whose diagram, repeats shortened, stays within DRAWN lines (found by
 * bisection: a longer end never draws fewer lines, give or take a repeat cut in two).
 */
function drawnEvents(events: readonly TraceEvent[]): number {
  if (linesOf(diagramOf(events)) <= DRAWN) return events.length;
  let fits = Math.min(DRAWN, events.length);
  let tooMany = events.length;
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (linesOf(diagramOf(events.slice(-middle))) <= DRAWN) fits = middle;
    else tooMany = middle;
  }
  return fits;
}

/** What the diagram of a run shows. */
const drawnPart = (drawn: number, events: number) => (drawn < events ? `the last ${drawn} of its ${events} events, repeats shortened` : 'the whole run, repeats shortened');

/** Writes the run as a mermaid diagram where the grader asked for it; returns the file and what it shows. */
function writeDiagram(task: Task, net: Network): { file: string; part: string } | undefined {
  const dir = readChecksEnv().traces?.dir;
  if (!dir) return undefined;
  // exercises/NN-slug/checks.test.ts and solutions/NN-slug/hidden.test.ts: the folder names the exercise.
  const exercise = path.basename(path.dirname(task.file.name));
  const name = task.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
  fs.mkdirSync(path.join(dir, exercise), { recursive: true });
  const file = path.join(dir, exercise, `${name}.mmd`);
  const whole = toMermaid(net.trace);
  // A run that fits is drawn whole, repeats and all; a longer one from its end, repeats shortened.
  if (linesOf(whole) <= DRAWN) {
    fs.writeFileSync(file, `${whole}\n`);
    return { file, part: 'the whole run' };
  }
  const drawn = drawnEvents(net.trace);
  fs.writeFileSync(file, `${diagramOf(net.trace.slice(-drawn))}\n`);
  return { file, part: drawnPart(drawn, net.trace.length) };
}

/** Follows `net`, built from `seed`, in the running check (the last one followed is the one shown). */
export function traced(net: Network, seed: number): Network {
  followed = { net, seed };
  if (!hooked) {
    hooked = true;
    onTestFailed(({ task }) => {
      if (!followed) return;
      const diagram = writeDiagram(task, followed.net);
      const lines = timeline(followed.net, followed.seed) + (diagram ? `\n${MARK}${diagram.part}, as a sequence diagram: ${diagram.file}` : '');
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
