/**
 * What a failed network check shows of its run (netsim-trace.ts): a timeline, the lines its
 * failure carries, and a mermaid sequence diagram, written to a file. A run the check says broke
 * at a moment ({@link Broke}) is shown around it: some events before it, a line that marks it, a
 * few after, and what is left out on each side said. Any other run is shown by its end, where it
 * went wrong, as far back as the lines allow. In both, a long run of the same exchange
 * (heartbeats, say) is shortened to its first and last occurrence and a line that says how many
 * were left out, and when.
 * @module
 */
import { toMermaid, type TraceEvent } from '../../toolkit/netsim';
import { shapeOf, shortenRepeats } from '../../toolkit/netsim/repeats';

/** When the check's expectation broke, in virtual time, and (optionally) a few words on what broke. */
export interface Broke {
  t: number;
  what?: string;
}

/** Lines of the timeline: the last ones, where a run goes wrong. */
const SHOWN = 24;
/** Lines of the timeline around a known moment: before it, and after it. */
const SHOWN_BEFORE = 16;
const SHOWN_AFTER = 6;
/** Lines of the diagram: a longer run is drawn from its end, where it goes wrong (mermaid has a size limit). */
const DRAWN = 400;
/** Lines of the diagram around a known moment: before it, and after it. */
const DRAWN_BEFORE = 120;
const DRAWN_AFTER = 16;
/** Events looked at before the moment: enough for any window the lines above hold, repeats shortened. */
const LOOKED_AT = 10_000;
/** Events shown after the moment at most: what came of it, not the rest of the run. */
const AFTER_EVENTS = 30;

const time = (t: number) => `t=${Number.isInteger(t) ? t : t.toFixed(1)}`;

const short = (payload: unknown) => {
  const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? String(payload));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** One event as a line of the timeline. */
function describe(event: TraceEvent): string {
  const at = `${time(event.t).padEnd(8)} `;
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
    case 'note':
      return `${at}${event.node}: ${event.text}`;
  }
}

/** An event's line without its time, numbers made alike: what repeats when a run repeats itself. */
const lineShape = (event: TraceEvent) => shapeOf(describe(event).replace(/^t=\S+\s+/, ''));

/** A line of the timeline and the events it stands for (indexes into the run). */
interface Line {
  text: string;
  first: number;
  last: number;
}

/** The lines of `events[from]` to `events[to - 1]`, a long run of the same exchange shortened. */
function linesOf(events: readonly TraceEvent[], from: number, to: number): Line[] {
  const indexed = events.slice(from, to).map((event, i) => ({ event, index: from + i }));
  const one = ({ event, index }: (typeof indexed)[number]): Line => ({ text: describe(event), first: index, last: index });
  return shortenRepeats(indexed, (item) => lineShape(item.event)).flatMap((stretch) => {
    if (stretch.kind === 'item') return [one(stretch.item)];
    const { first, omitted, last, times } = stretch;
    const span = `${time(omitted[0].event.t)} to ${time(omitted[omitted.length - 1].event.t)}`;
    const summary = `… the same ${first.length === 1 ? 'event' : `${first.length} events`} ${times} more time${times === 1 ? '' : 's'}, ${span} …`;
    return [...first.map(one), { text: summary, first: omitted[0].index, last: omitted[omitted.length - 1].index }, ...last.map(one)];
  });
}

/** How many events of the run come before `t` or at it: where a moment falls among them. */
const indexOf = (events: readonly TraceEvent[], t: number) => {
  let i = 0;
  while (i < events.length && events[i].t <= t) i++;
  return i;
};

/** What is left out of a window, said: `count` events from `events[from]` on. */
function leftOut(events: readonly TraceEvent[], from: number, count: number, which: string, verb: string): string {
  return `… ${count} ${which} event${count === 1 ? '' : 's'}, ${time(events[from].t)} to ${time(events[from + count - 1].t)}, ${verb} …`;
}

/** The mark of the moment the run went wrong. */
const mark = (broke: Broke) => `✗ ${time(broke.t)}: ${broke.what ?? 'the check failed here'}`;

/**
 * The timeline of a run, as the lines a failure carries (without their mark): its last events, or
 * those around the moment it broke.
 */
export function timeline(events: readonly TraceEvent[], seed: number, broke?: Broke): string[] {
  if (broke) {
    const at = indexOf(events, broke.t);
    const before = linesOf(events, Math.max(0, at - LOOKED_AT), at).slice(-SHOWN_BEFORE);
    const after = linesOf(events, at, Math.min(events.length, at + AFTER_EVENTS)).slice(0, SHOWN_AFTER);
    const start = before[0]?.first ?? at;
    const end = (after.at(-1)?.last ?? at - 1) + 1;
    return [
      `seed ${seed}, ${events.length} events; around ${time(broke.t)}, where the run went wrong, repeats shortened (virtual time in ms):`,
      ...(start > 0 ? [leftOut(events, 0, start, 'earlier', 'not shown')] : []),
      ...before.map((line) => line.text),
      mark(broke),
      ...after.map((line) => line.text),
      ...(end < events.length ? [leftOut(events, end, events.length - end, 'later', 'not shown')] : []),
    ];
  }
  // A run that fits is shown whole: in a short run, the times of repeats may be the point.
  const lines = events.length <= SHOWN ? events.map(describe) : linesOf(events, Math.max(0, events.length - SHOWN * 40), events.length).map((line) => line.text);
  const shown = lines.slice(-SHOWN);
  const head = `seed ${seed}, ${events.length} events${lines.length > SHOWN || events.length > SHOWN * 40 ? `, the last ${shown.length} lines` : ''}${lines.length < Math.min(events.length, SHOWN * 40) ? ', repeats shortened' : ''} (virtual time in ms):`;
  return [head, ...shown];
}

/** The largest `n` from 0 to `most` for which `fits(n)` holds, `fits(0)` taken as true and fits as monotonic (give or take a repeat cut in two). */
function largest(most: number, fits: (n: number) => boolean): number {
  if (fits(most)) return most;
  let yes = 0;
  let no = most;
  while (no - yes > 1) {
    const middle = Math.floor((yes + no) / 2);
    if (fits(middle)) yes = middle;
    else no = middle;
  }
  return yes;
}

const linesIn = (diagram: string) => diagram.split('\n').length;

/** A diagram of a run: its mermaid code, and what of the run it shows. */
export interface Diagram {
  code: string;
  part: string;
}

/**
 * The sequence diagram of a run of the nodes `nodes`: the whole run when it fits, else its end, or
 * the window around the moment it broke, with that moment marked.
 */
export function diagram(events: readonly TraceEvent[], nodes: string[], broke?: Broke): Diagram {
  if (broke) {
    const options = { shortenRepeats: true, participants: nodes };
    const header = linesIn(toMermaid([], options));
    const body = (from: number, to: number) => linesIn(toMermaid(events.slice(from, to), options)) - header;
    const at = indexOf(events, broke.t);
    const start = at - largest(Math.min(at, LOOKED_AT), (n) => body(at - n, at) <= DRAWN_BEFORE);
    const end = at + largest(Math.min(events.length - at, AFTER_EVENTS), (n) => body(at, at + n) <= DRAWN_AFTER);
    const notes = [
      ...(start > 0 ? [{ at: 0, text: leftOut(events, 0, start, 'earlier', 'not drawn') }] : []),
      { at: at - start, text: mark(broke) },
      ...(end < events.length ? [{ at: end - start, text: leftOut(events, end, events.length - end, 'later', 'not drawn') }] : []),
    ];
    const whole = start === 0 && end === events.length;
    const part = `${whole ? 'the whole run' : `${end - start} of its ${events.length} events`}, around ${time(broke.t)}, where it went wrong, repeats shortened`;
    return { code: toMermaid(events.slice(start, end), { ...options, notes }), part };
  }
  // A run that fits is drawn whole, repeats and all; a longer one from its end, repeats shortened.
  const whole = toMermaid(events);
  if (linesIn(whole) <= DRAWN) return { code: whole, part: 'the whole run' };
  const ofEnd = (n: number) => toMermaid(events.slice(events.length - n), { shortenRepeats: true });
  const drawn = Math.max(Math.min(DRAWN, events.length), largest(events.length, (n) => linesIn(ofEnd(n)) <= DRAWN));
  return { code: ofEnd(drawn), part: drawn < events.length ? `the last ${drawn} of its ${events.length} events, repeats shortened` : 'the whole run, repeats shortened' };
}
