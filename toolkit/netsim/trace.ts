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
  | { t: number; kind: 'heal' };

/** Options for {@link toMermaid}. */
export interface MermaidOptions {
  /** Only the first `limit` events are drawn. */
  limit?: number;
  /** Turns a payload into the arrow's label; default: compact JSON, cut to 40 characters. */
  label?: (payload: unknown) => string;
  /** Draw the participants in this order (default: order of first appearance). */
  participants?: string[];
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

/**
 * Turns a trace into a mermaid `sequenceDiagram`: a delivered message is a solid arrow,
 * a duplicate delivery a dashed one, a dropped message an arrow ending in a cross.
 * Each arrow is labelled with the virtual time and the payload.
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
    } else if (e.kind === 'crash' || e.kind === 'restart') {
      see(e.node);
    }
  }
  const lines = ['sequenceDiagram'];
  for (const name of names) lines.push(`  participant ${participantId(name)} as ${safe(name)}`);
  const everyone = names.length > 1 ? `${participantId(names[0])},${participantId(names[names.length - 1])}` : participantId(names[0] ?? '');
  const time = (t: number) => `t=${Number.isInteger(t) ? t : t.toFixed(1)}`;
  for (const e of shown) {
    switch (e.kind) {
      case 'deliver':
        lines.push(`  ${participantId(e.from)}${e.copy ? '-->>' : '->>'}${participantId(e.to)}: ${safe(`${time(e.t)} ${label(e.payload)}${e.copy ? ' (copy)' : ''}`)}`);
        break;
      case 'drop':
        lines.push(`  ${participantId(e.from)}-x${participantId(e.to)}: ${safe(`${time(e.t)} ${label(e.payload)} lost${e.reason === 'loss' ? '' : ` (${e.reason})`}`)}`);
        break;
      case 'crash':
      case 'restart':
        lines.push(`  Note over ${participantId(e.node)}: ${safe(`${time(e.t)} ${e.kind}`)}`);
        break;
      case 'partition':
        if (names.length > 0) {
          lines.push(`  Note over ${everyone}: ${safe(`${time(e.t)} partition ${e.groups.map((g) => g.join(' ')).join(' / ')}`)}`);
        }
        break;
      case 'heal':
        if (names.length > 0) lines.push(`  Note over ${everyone}: ${time(e.t)} partition healed`);
        break;
      default:
        // 'send' and 'duplicate' are shown by the delivery or drop they lead to.
        break;
    }
  }
  return lines.join('\n');
}
