import { shapeOf, shortenRepeats, type Stretch } from './repeats';

/** Why the network dropped a message. */
export type DropReason = 'loss' | 'partition' | 'receiver-down' | 'sender-down';

/** One thing that happened on the network, stamped with virtual time `t` (ms). */
export type TraceEvent =
  | { t: number; kind: 'send'; id: number; from: string; to: string; payload: unknown }
  | { t: number; kind: 'deliver'; id: number; from: string; to: string; payload: unknown; copy: boolean }
  | { t: number; kind: 'drop'; id: number; from: string; to: string; payload: unknown; reason: DropReason }
  | { t: number; kind: 'duplicate'; id: number; from: string; to: string; payload: unknown }
  | { t: number; kind: 'crash' | 'restart'; node: string }
  | { t: number; kind: 'partition'; groups: string[][] }
  | { t: number; kind: 'heal' }
  /** A decision of the code on `node`, marked by whoever watches it (`Network.note`). */
  | { t: number; kind: 'note'; node: string; text: string };

/** Options for {@link toMermaid}. */
export interface MermaidOptions {
  /** Only the first `limit` events are drawn. */
  limit?: number;
  /** Turns a payload into the arrow's label; default: compact JSON, cut to 40 characters. */
  label?: (payload: unknown) => string;
  /** Draw the participants in this order (default: order of first appearance). */
  participants?: string[];
  /**
   * Draw a run of the same exchange repeated four times or more (the same kinds of event between
   * the same nodes, payloads alike but for their numbers, such as heartbeats) as its first and last
   * occurrence with a note between them that says how many are left out, and when.
   */
  shortenRepeats?: boolean;
  /**
   * Notes over every participant, each drawn just before the event of index `at` (`at` equal to
   * the number of events drawn: after the last one), such as "the check failed here" or "1,200
   * earlier events not drawn". A run of repeats is never shortened across one.
   */
  notes?: { at: number; text: string }[];
}

function defaultLabel(payload: unknown): string {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload) ?? String(payload);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Mermaid treats some characters as syntax inside messages; replace them with look-alikes. */
function safe(text: string): string {
  return text.replace(/[;#\n\r]/g, (c) => ({ ';': ',', '#': '№', '\n': ' ', '\r': ' ' })[c] ?? c);
}

/** A name mermaid accepts as a participant id. */
function participantId(node: string): string {
  return node.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The nodes an event involves. */
function nodesOf(e: TraceEvent): string[] {
  if ('from' in e) return [e.from, e.to];
  return e.kind === 'crash' || e.kind === 'restart' || e.kind === 'note' ? [e.node] : [];
}

/** What makes two events "the same" when repeats are shortened: all but the time and the numbers. */
function signature(e: TraceEvent, label: (payload: unknown) => string): string {
  switch (e.kind) {
    case 'deliver':
      return `deliver ${e.from} ${e.to} ${e.copy} ${shapeOf(label(e.payload))}`;
    case 'drop':
      return `drop ${e.from} ${e.to} ${e.reason} ${shapeOf(label(e.payload))}`;
    case 'crash':
    case 'restart':
      return `${e.kind} ${e.node}`;
    case 'note':
      return `note ${e.node} ${shapeOf(e.text)}`;
    default:
      return `${e.kind} ${'id' in e ? e.id : ''} ${e.t}`;
  }
}

/**
 * Turns a trace into a mermaid `sequenceDiagram`: a delivered message is a solid arrow,
 * a duplicate delivery a dashed one, a dropped message an arrow ending in a cross.
 * Each arrow is labelled with the virtual time and the payload. Crashes, restarts and the notes
 * of `Network.note` are notes over their node; partitions, notes over every node.
 */
export function toMermaid(events: readonly TraceEvent[], options: MermaidOptions = {}): string {
  const shown = options.limit === undefined ? events : events.slice(0, options.limit);
  const label = options.label ?? defaultLabel;
  const names: string[] = [...(options.participants ?? [])];
  const see = (node: string) => {
    if (!names.includes(node)) names.push(node);
  };
  for (const e of shown) {
    if ('from' in e) {
      see(e.from);
      see(e.to);
    } else if (e.kind === 'crash' || e.kind === 'restart' || e.kind === 'note') {
      see(e.node);
    }
  }
  const lines = ['sequenceDiagram'];
  for (const name of names) lines.push(`  participant ${participantId(name)} as ${safe(name)}`);
  const everyone = names.length > 1 ? `${participantId(names[0])},${participantId(names[names.length - 1])}` : participantId(names[0] ?? '');
  const time = (t: number) => `t=${Number.isInteger(t) ? t : t.toFixed(1)}`;
  const arrow = (e: TraceEvent): string | undefined => {
    switch (e.kind) {
      case 'deliver':
        return `  ${participantId(e.from)}${e.copy ? '-->>' : '->>'}${participantId(e.to)}: ${safe(`${time(e.t)} ${label(e.payload)}${e.copy ? ' (copy)' : ''}`)}`;
      case 'drop':
        return `  ${participantId(e.from)}-x${participantId(e.to)}: ${safe(`${time(e.t)} ${label(e.payload)} lost${e.reason === 'loss' ? '' : ` (${e.reason})`}`)}`;
      case 'crash':
      case 'restart':
        return `  Note over ${participantId(e.node)}: ${safe(`${time(e.t)} ${e.kind}`)}`;
      case 'note':
        return `  Note over ${participantId(e.node)}: ${safe(`${time(e.t)} ${e.text}`)}`;
      case 'partition':
        return names.length > 0 ? `  Note over ${everyone}: ${safe(`${time(e.t)} partition ${e.groups.map((g) => g.join(' ')).join(' / ')}`)}` : undefined;
      case 'heal':
        return names.length > 0 ? `  Note over ${everyone}: ${time(e.t)} partition healed` : undefined;
      default:
        // 'send' and 'duplicate' are shown by the delivery or drop they lead to.
        return undefined;
    }
  };
  // Each event's line, worked out once; 'send' and 'duplicate' have none.
  const drawn = shown.flatMap((event, index) => {
    const line = arrow(event);
    return line === undefined ? [] : [{ event, index, line }];
  });
  type Drawn = (typeof drawn)[number];
  const draw = (part: Drawn[]) => {
    const stretches: Stretch<Drawn>[] = options.shortenRepeats ? shortenRepeats(part, (d) => signature(d.event, label)) : part.map((item) => ({ kind: 'item', item }));
    for (const stretch of stretches) {
      if (stretch.kind === 'item') {
        lines.push(stretch.item.line);
        continue;
      }
      lines.push(...stretch.first.map((d) => d.line));
      const involved = names.filter((name) => stretch.first.some((d) => nodesOf(d.event).includes(name)));
      const over = involved.length > 1 ? `${participantId(involved[0])},${participantId(involved[involved.length - 1])}` : participantId(involved[0] ?? names[0] ?? '');
      const span = `${time(stretch.omitted[0].event.t)} to ${time(stretch.omitted[stretch.omitted.length - 1].event.t)}`;
      lines.push(`  Note over ${over}: ${safe(`… the same ${stretch.times} more time${stretch.times === 1 ? '' : 's'}, ${span} …`)}`);
      lines.push(...stretch.last.map((d) => d.line));
    }
  };
  // The events between two of the notes asked for are drawn (and shortened) apart.
  let from = 0;
  for (const note of [...(options.notes ?? [])].sort((a, b) => a.at - b.at)) {
    const until = drawn.findIndex((d) => d.index >= note.at);
    const end = until < 0 ? drawn.length : until;
    draw(drawn.slice(from, end));
    from = end;
    if (names.length > 0) lines.push(`  Note over ${everyone}: ${safe(note.text)}`);
  }
  draw(drawn.slice(from));
  return lines.join('\n');
}
