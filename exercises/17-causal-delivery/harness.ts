/**
 * What the public and hidden checks of exercise 17 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import fc from 'fast-check';
import { Network, Random, uniform, type LinkFaults, type MessageHandler } from '../../toolkit/netsim';
import { brokeAt, traced } from '../../checker/shared/netsim-trace';

type Module = typeof import('@submission/17-causal-delivery/causal-delivery');
type CausalBroadcast = InstanceType<Module['CausalBroadcast']>;
type Vector = Record<string, number>;
let code: Module;

beforeEach(async () => {
  code = await import('@submission/17-causal-delivery/causal-delivery');
});

/** Guards every run: a node that never stops retransmitting never lets the network go idle. */
export const LIMIT = { maxEvents: 50_000 };
const EPSILON = 1e-6;

/** A delivery as the checks record it: what a node delivered, and when. */
export interface Recorded {
  from: string;
  seq: number;
  body: unknown;
  t: number;
}

/** What the README's rules make of one copy of a message that arrives: the cases of "Your task". */
type Case = 'deliverable' | 'early' | 'repeat of one delivered' | 'repeat of one held' | 'refused';

/** One copy that reached a node, as the rules judge it. */
interface Arrival {
  from: string;
  seq: number;
  t: number;
  case: Case;
  vc: Vector;
  /** Set once the node has delivered it. */
  delivered?: boolean;
}

const round = (t: number) => Math.round(t * 10) / 10;
/** A rule's words without vectors, times (the mark has its own) and items: the mark where a failed run's trace is drawn. */
const gist = (text: string) => {
  const plain = text.replace(/ \(vc \{[^}]*\}\)|, when \w+ had delivered \{[^}]*\}| at t=[\d.]+/g, '').split(' (item')[0];
  return plain.length > 100 ? `${plain.slice(0, 99)}…` : plain;
};
const id = (from: string, seq: number) => `${from}#${seq}`;
const vectorText = (vc: Vector, members: readonly string[]) => `{ ${members.map((m) => `${m}: ${vc[m] ?? 0}`).join(', ')} }`;

/** What the rules ask for each case: whether it is acked, and the item that says so. */
const SHOULD: Record<Case, string> = {
  deliverable: 'it should be delivered and acked (items 2, 5)',
  early: 'it should be held and acked (items 3, 5)',
  'repeat of one delivered': 'it should be acked again (item 5)',
  'repeat of one held': 'it should be acked again (item 5)',
  refused: 'it should be refused: neither held, nor acked, nor delivered (item 7)',
};

/**
 * The README's rules as a small model of one node, run beside your CausalBroadcast: it watches every
 * copy arriving at the node, every delivery, every message the node sends and `buffered`, and records
 * the first thing that differs from what the rules ask, in words.
 */
function referee(self: string, members: readonly string[], options: { maxBuffered: number; retransmitMs: number }, note: (text: string) => void, later: (check: () => void, ms: number) => void) {
  const delivered: Vector = Object.fromEntries(members.map((m) => [m, 0]));
  const held = new Map<string, { from: string; vc: Vector }>();
  /** Per member, the copies from it whose ack is still to come, in the order they arrived. */
  const owed = new Map<string, Arrival[]>();
  /** This node's own messages, by number. */
  const own = new Map<number, { vc: Vector; body: unknown }>();
  /** Per member and own message: when the last copy went to it, and when its ack arrived. */
  const copies = new Map<string, { last: number; ackedAt?: number }>();
  let current: Arrival | undefined;
  let broadcasting: { seq: number; body: unknown; deliveredHere: boolean; sentTo: Set<string> } | undefined;
  const others = members.filter((m) => m !== self);
  const told = (a: Arrival) => `${id(a.from, a.seq)} (vc ${vectorText(a.vc, members)}) reached ${self} at t=${round(a.t)}, when ${self} had delivered ${vectorText(delivered, members)}`;
  const deliverable = (from: string, vc: Vector) => vc[from] === delivered[from] + 1 && members.every((k) => k === from || (vc[k] ?? 0) <= delivered[k]);
  /** Why `from#seq` stamped `vc` may not be delivered yet, in words. */
  const missing = (from: string, vc: Vector) => {
    if (vc[from] > delivered[from] + 1) return `${id(from, delivered[from] + 1)}, an earlier message of ${from}`;
    const k = members.find((m) => m !== from && (vc[m] ?? 0) > delivered[m]) ?? from;
    return `${id(k, delivered[k] + 1)}, which ${from} had delivered before it sent it`;
  };

  /** After a copy to `to` at `t`: the next one is due `retransmitMs` later, unless `to` has acked by then. */
  const overdue = (to: string, seq: number, t: number) =>
    later(() => {
      const state = copies.get(id(to, seq));
      if (state?.last === t && (state.ackedAt === undefined || state.ackedAt > t + options.retransmitMs)) {
        note(`${self} sent ${id(self, seq)} to ${to} at t=${round(t)} and not again ${options.retransmitMs} ms later, although ${to} had not acked it (item 6)`);
      }
    }, options.retransmitMs + 0.001);

  return {
    /** A copy arrives at the node, before its handler runs. */
    arrive(from: string, payload: unknown, t: number) {
      const message = payload as { kind?: unknown; vc?: Vector; seq?: number };
      if (message.kind === 'ack') {
        const state = copies.get(id(from, message.seq ?? 0));
        if (state && state.ackedAt === undefined) state.ackedAt = t;
        return;
      }
      const vc = message.vc ?? {};
      const seq = vc[from];
      const kind: Case =
        seq <= delivered[from] ? 'repeat of one delivered' : held.has(id(from, seq)) ? 'repeat of one held' : deliverable(from, vc) ? 'deliverable' : held.size >= options.maxBuffered ? 'refused' : 'early';
      const arrival: Arrival = { from, seq, t, case: kind, vc };
      if (kind === 'early') held.set(id(from, seq), { from, vc });
      if (kind !== 'refused') (owed.get(from) ?? owed.set(from, []).get(from))?.push(arrival);
      current = arrival;
    },
    /** The node delivered `d`. */
    deliver(d: { from: string; seq: number }, t: number) {
      const what = `${id(d.from, d.seq)} was delivered at ${self} at t=${round(t)}`;
      if (broadcasting) {
        if (d.from !== self || d.seq !== broadcasting.seq || broadcasting.deliveredHere) return note(`${what} during broadcast(): broadcast delivers its own message, ${id(self, broadcasting.seq)}, once (item 1)`);
        broadcasting.deliveredHere = true;
        return;
      }
      if (!current) return note(`${what}, when no message was arriving: a node delivers at once, while it handles the copy that makes a message deliverable (items 2, 3)`);
      if (d.seq <= delivered[d.from]) return note(`${what} again: it had been delivered already (item 4)`);
      const arriving = current.case === 'deliverable' && !current.delivered && d.from === current.from && d.seq === current.seq;
      const heldOne = held.get(id(d.from, d.seq));
      if (!arriving && !heldOne) return note(`${what} while ${told(current)}, but that message was neither arriving as deliverable nor held (items 3, 7)`);
      const vc = arriving ? current.vc : (heldOne as { vc: Vector }).vc;
      if (!deliverable(d.from, vc)) return note(`${what} before ${missing(d.from, vc)} (items 2, 3: never before a message it depends on)`);
      delivered[d.from]++;
      if (arriving) current.delivered = true;
      else held.delete(id(d.from, d.seq));
    },
    /** The node's handler returned; `buffered` is what it reports now. */
    done(buffered: number) {
      if (!current) return;
      const arrival = current;
      current = undefined;
      if ((owed.get(arrival.from) ?? []).includes(arrival)) return note(`${told(arrival)}: ${SHOULD[arrival.case]}, but no ack was sent for it while it was handled`);
      if (arrival.case === 'deliverable' && !arrival.delivered) return note(`${told(arrival)}: it was deliverable, and should be delivered at once (item 2), but was not`);
      const ready = [...held.entries()].find(([, h]) => deliverable(h.from, h.vc));
      if (ready) return note(`${told(arrival)}: afterwards the held ${ready[0]} was deliverable, and should have been delivered then (item 3)`);
      if (buffered !== held.size) note(`${told(arrival)} (${arrival.case}); afterwards ${held.size} ${held.size === 1 ? 'message is' : 'messages are'} held, but buffered says ${buffered} (items 3, 7)`);
    },
    broadcastStarts(body: unknown) {
      const seq = ++delivered[self];
      own.set(seq, { vc: { ...delivered }, body });
      broadcasting = { seq, body, deliveredHere: false, sentTo: new Set() };
    },
    broadcastEnds(t: number) {
      const b = broadcasting as NonNullable<typeof broadcasting>;
      broadcasting = undefined;
      if (!b.deliveredHere) return note(`${self} broadcast ${id(self, b.seq)} at t=${round(t)} without delivering it to itself at once (item 1)`);
      const unsent = others.filter((m) => !b.sentTo.has(m));
      if (unsent.length > 0) note(`${self} broadcast ${id(self, b.seq)} at t=${round(t)} without sending it at once to ${unsent.join(', ')} (item 1)`);
    },
    /** The node sent `payload` to `to`. */
    send(to: string, payload: unknown, t: number) {
      const message = payload as { kind?: unknown; vc?: Vector; seq?: unknown; body?: unknown };
      const at = () => `${self} sent ${JSON.stringify(payload)} to ${to} at t=${round(t)}`;
      if (!others.includes(to)) return note(`${at()}: a node sends only to the other members (${others.join(', ')})`);
      if (message.kind === 'ack') {
        const waiting = owed.get(to) ?? [];
        if (waiting[0]?.seq === message.seq) return void waiting.shift();
        if (waiting.some((a) => a.seq === message.seq)) return note(`${told(waiting[0])}: ${SHOULD[waiting[0].case]}, but no ack was sent for it (the next ack to ${to} was ${String(message.seq)})`);
        return note(`${at()}, which answers no copy from ${to} that was delivered, held or a repeat (items 5, 7: one ack per copy, in the order the copies arrive; none for a refused one)`);
      }
      if (message.kind !== 'data') return note(`${at()}: a node sends only { kind: 'data', vc, body } and { kind: 'ack', seq }`);
      const seq = message.vc?.[self] ?? 0;
      const mine = own.get(seq);
      const vc = message.vc ?? {};
      if (!mine || members.some((m) => (vc[m] ?? 0) !== mine.vc[m]) || message.body !== mine.body) {
        return note(`${at()}: ${mine ? `${id(self, seq)} is { kind: 'data', vc: ${vectorText(mine.vc, members)}, body: ${JSON.stringify(mine.body)} }` : `${self} broadcast no message ${seq}`} (item 1: vc counts, per member, the messages this node had delivered, this one included)`);
      }
      const state = copies.get(id(to, seq));
      if (broadcasting?.seq === seq && !broadcasting.sentTo.has(to)) {
        broadcasting.sentTo.add(to);
        copies.set(id(to, seq), { last: t });
        return overdue(to, seq, t);
      }
      if (!state) return note(`${at()} before its first copy, which broadcast() sends (item 1)`);
      if (state.ackedAt !== undefined) return note(`${at()}, although ${to}'s ack of it had arrived at t=${round(state.ackedAt)} (item 6)`);
      const gap = t - state.last;
      if (Math.abs(gap - options.retransmitMs) > EPSILON) return note(`${at()}, ${round(gap)} ms after the previous copy to ${to}: it is sent again retransmitMs (${options.retransmitMs} ms) after the previous copy (item 6)`);
      state.last = t;
      overdue(to, seq, t);
    },
    /** The first own message some member has not acked yet, in words (for a run that never ends). */
    unacked() {
      const key = [...copies.keys()].find((k) => copies.get(k)?.ackedAt === undefined);
      return key && `${self} was still sending ${id(self, Number(key.split('#')[1]))} to ${key.split('#')[0]}`;
    },
    /** The run is over and the network idle: every ack owed was sent, every own message acked by everyone. */
    end() {
      for (const waiting of owed.values()) if (waiting.length > 0) return note(`${told(waiting[0])}: ${SHOULD[waiting[0].case]}, but no ack was sent`);
      for (const [key, state] of copies) {
        const [to, seq] = key.split('#');
        if (state.ackedAt === undefined) return note(`${id(self, Number(seq))} was never acked by ${to}, and ${self} stopped sending it after t=${round(state.last)} (item 6: again every retransmitMs until the ack arrives)`);
      }
    },
  };
}

/** Options of a {@link world}. */
export interface WorldOptions {
  seed?: number;
  faults?: LinkFaults;
  /** The nodes running your CausalBroadcast (default ["x"]). */
  nodes?: string[];
  /** Members played by the checks: they send what the check says and record what reaches them. */
  puppets?: string[];
  maxBuffered?: number;
  retransmitMs?: number;
  /** Stop the run at the first difference from the rules (else it is recorded for `followsTheRules`). */
  strict?: boolean;
  /** Called after each delivery is recorded (the group runs answer some messages from here). */
  afterDeliver?: (node: string, delivery: Recorded) => void;
}

/**
 * A group: puppets (played by the checks) and nodes running your CausalBroadcast, every node
 * refereed by the README's rules, and every delivery checked against what really happened before
 * what (each message's causes, as the run made them).
 */
export function world(options: WorldOptions = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const nodes = options.nodes ?? ['x'];
  const puppets = options.puppets ?? [];
  const members = [...puppets, ...nodes];
  const settings = { maxBuffered: options.maxBuffered ?? 16, retransmitMs: options.retransmitMs ?? 50 };
  const given = { ...(options.maxBuffered === undefined ? {} : { maxBuffered: options.maxBuffered }), ...(options.retransmitMs === undefined ? {} : { retransmitMs: options.retransmitMs }) };
  let first: string | undefined;
  /** The first difference from the rules is what the run reports, and where its trace is drawn. */
  const note = (text: string) => {
    if (first === undefined) brokeAt(net.now(), gist(text));
    first ??= text;
    if (options.strict) throw new Error(first);
  };
  const deliveries = new Map<string, Recorded[]>(nodes.map((n) => [n, []]));
  /** For each message, the messages that happened before it: per member, how many of its messages. */
  const causes = new Map<string, Vector>();
  const bodies = new Map<string, unknown>();
  /** What reached each puppet: acks and data, in order. */
  const received = new Map<string, { from: string; payload: { kind: string; seq?: number; vc?: Vector; body?: unknown }; t: number }[]>(puppets.map((p) => [p, []]));
  const layers = new Map<string, CausalBroadcast>();
  const referees = new Map<string, ReturnType<typeof referee>>();
  /** Per node, what happened before its next broadcast: per member, how many of its messages. */
  const seenBy = new Map<string, Vector>(nodes.map((n) => [n, Object.fromEntries(members.map((m) => [m, 0]))]));
  let mostBuffered = 0;

  for (const puppet of puppets) net.addNode(puppet, (m) => received.get(puppet)?.push({ from: m.from, payload: m.payload as never, t: net.now() }));
  for (const node of nodes) {
    const rules = referee(node, members, settings, note, (check, ms) => net.clock.setTimeout(check, ms));
    referees.set(node, rules);
    const endpoint = net.addNode(node);
    const send = endpoint.send.bind(endpoint);
    const onMessage = endpoint.onMessage.bind(endpoint);
    endpoint.send = (to: string, payload: unknown) => {
      rules.send(to, payload, net.now());
      send(to, payload);
    };
    const log = deliveries.get(node) as Recorded[];
    endpoint.onMessage = <T>(handler: MessageHandler<T>) =>
      onMessage<T>((message) => {
        rules.arrive(message.from, message.payload, net.now());
        const layer = layers.get(node) as CausalBroadcast;
        const [before, logged] = [layer.buffered, log.length];
        handler(message);
        mostBuffered = Math.max(mostBuffered, layer.buffered);
        noteHeld(message, log.slice(logged), layer.buffered - before);
        rules.done(layer.buffered);
      });
    /** Marks in the trace a data copy your node kept back: not delivered, and counted in `buffered` (beside the held ones it delivered). */
    const noteHeld = (message: { from: string; payload: unknown }, now: Recorded[], grown: number) => {
      const { kind, vc } = message.payload as { kind?: unknown; vc?: Vector };
      const seq = vc?.[message.from];
      if (kind !== 'data' || typeof seq !== 'number' || now.some((d) => d.from === message.from && d.seq === seq)) return;
      const released = now.filter((d) => d.from !== message.from || d.seq !== seq).length;
      if (grown + released > 0) net.note(node, `holds ${id(message.from, seq)}`);
    };
    /** Per member, every message delivered here, and how many of the first ones without a gap. */
    const have = new Set<string>();
    const prefix: Vector = Object.fromEntries(members.map((m) => [m, 0]));
    const seen = seenBy.get(node) as Vector;
    const onDeliver = (d: { from: string; seq: number; body: unknown }) => {
      net.note(node, `delivers ${id(d.from, d.seq)}`);
      rules.deliver(d, net.now());
      const key = id(d.from, d.seq);
      const where = () => `${key} was delivered at ${node} at t=${round(net.now())}`;
      if (have.has(key)) note(`${where()} a second time (item 4: each message once)`);
      have.add(key);
      while (have.has(id(d.from, prefix[d.from] + 1))) prefix[d.from]++;
      const before = causes.get(key) ?? {};
      for (const k of members) {
        if ((before[k] ?? 0) <= prefix[k]) continue;
        const gap = id(k, prefix[k] + 1);
        note(`${where()} before ${gap}, which ${k === d.from ? `${d.from} had sent before it` : `${d.from} had delivered before it sent it`} (items 2, 3: never before a message it depends on)`);
      }
      for (const m of members) seen[m] = Math.max(seen[m], before[m] ?? 0, m === d.from ? d.seq : 0);
      if (bodies.has(key) && bodies.get(key) !== d.body) note(`${where()} with body ${JSON.stringify(d.body)}, but its body is ${JSON.stringify(bodies.get(key))} (item 2)`);
      const recorded = { ...d, t: net.now() };
      log.push(recorded);
      options.afterDeliver?.(node, recorded);
    };
    layers.set(node, new code.CausalBroadcast(endpoint, members, onDeliver, Object.keys(given).length > 0 ? given : undefined));
  }

  /** Node `node` broadcasts `body` now (the message's causes are what it delivered so far). */
  const broadcastNow = (node: string, body: unknown) => {
    const layer = layers.get(node) as CausalBroadcast;
    const rules = referees.get(node) as ReturnType<typeof referee>;
    const seen = seenBy.get(node) as Vector;
    const seq = seen[node] + 1;
    causes.set(id(node, seq), { ...seen, [node]: seq - 1 });
    bodies.set(id(node, seq), body);
    rules.broadcastStarts(body);
    layer.broadcast(body);
    rules.broadcastEnds(net.now());
  };

  return {
    net,
    members,
    deliveries,
    received,
    layer: (node = nodes[0]) => layers.get(node) as CausalBroadcast,
    mostBuffered: () => mostBuffered,
    /** Node `node` broadcasts `body` at virtual time `at`. */
    broadcast: (node: string, body: unknown, at = 0) => net.clock.setTimeout(() => broadcastNow(node, body), at),
    broadcastNow,
    /**
     * Puppet `from` sends its message number `vc[from]` to `to` at time `at`, stamped `vc` (missing
     * entries are 0), with body "from#seq" unless given.
     */
    send: (from: string, vc: Vector, options: { to?: string; at?: number; body?: unknown } = {}) => {
      const full = Object.fromEntries(members.map((m) => [m, vc[m] ?? 0]));
      const key = id(from, full[from]);
      const body = options.body ?? key;
      causes.set(key, { ...full, [from]: full[from] - 1 });
      bodies.set(key, body);
      net.clock.setTimeout(() => net.send(from, options.to ?? nodes[0], { kind: 'data', vc: full, body }), options.at ?? 0);
    },
    /** Puppet `from` acks `to`'s message `seq` at time `at`. */
    ack: (from: string, seq: number, options: { to?: string; at?: number } = {}) =>
      net.clock.setTimeout(() => net.send(from, options.to ?? nodes[0], { kind: 'ack', seq }), options.at ?? 0),
    /** "from#seq" of what `node` delivered, in order. */
    ids: (node = nodes[0]) => (deliveries.get(node) ?? []).map((r) => id(r.from, r.seq)),
    /** The acks that reached puppet `puppet`, as the numbers they acknowledge. */
    acksAt: (puppet: string) => (received.get(puppet) ?? []).filter((r) => r.payload.kind === 'ack').map((r) => r.payload.seq),
    /** The data copies that reached puppet `puppet`: which message, from whom, when. */
    copiesAt: (puppet: string) =>
      (received.get(puppet) ?? []).filter((r) => r.payload.kind === 'data').map((r) => ({ from: r.from, seq: r.payload.vc?.[r.from] ?? 0, vc: r.payload.vc, body: r.payload.body, t: round(r.t) })),
    /** Which own message a node was still sending when the run was stopped, in words. */
    unacked: () => [...referees.values()].map((rules) => rules.unacked()).find((text) => text !== undefined),
    /** Throws, in words, the first thing a node did that the rules do not ask for; with `idle`, also what it failed to do by the end. */
    followsTheRules: ({ idle = true } = {}) => {
      if (idle) for (const rules of referees.values()) rules.end();
      if (first) throw new Error(first);
    },
  };
}

/** A run of a whole group for the lossy, partition and property checks, all drawn from its numbers. */
export interface GroupRun {
  /** netsim's seed, and the workload's: which messages are lost, copied, delayed, and who answers what. */
  seed: number;
  nodes: number;
  /** Fresh messages each node broadcasts, at random moments in the first 500 ms. */
  messages: number;
  /** Percent of the messages from others a node answers (a broadcast that depends on what it read). */
  answerPercent: number;
  maxBuffered: number;
  lossPercent: number;
  duplicatePercent: number;
  maxDelayMs: number;
  /** A node cut off from the others from `partitionAt` for `partitionMs` (0: none). */
  partitionMs: number;
  partitionAt: number;
}

const NODE_NAMES = ['a', 'b', 'c', 'd', 'e'];
/** The most answers in a run: answers of answers must end. */
const MOST_ANSWERS = 20;

/** Group runs of up to `most` of everything (small ones when shrunk). */
export const groupRuns = (most: Omit<GroupRun, 'seed' | 'partitionAt'>): fc.Arbitrary<GroupRun> =>
  fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    nodes: fc.integer({ min: 2, max: most.nodes }),
    messages: fc.integer({ min: 1, max: most.messages }),
    answerPercent: fc.integer({ min: 0, max: most.answerPercent }),
    maxBuffered: fc.integer({ min: 1, max: most.maxBuffered }),
    lossPercent: fc.integer({ min: 0, max: most.lossPercent }),
    duplicatePercent: fc.integer({ min: 0, max: most.duplicatePercent }),
    maxDelayMs: fc.integer({ min: 1, max: most.maxDelayMs }),
    partitionMs: fc.integer({ min: 0, max: most.partitionMs }),
    partitionAt: fc.integer({ min: 0, max: 500 }),
  });

/** What the last group run played, for the words of a failure. */
let lastRun = { broadcasts: 0, deliveries: 0 };

/**
 * Plays a group run: every node broadcasts its messages and answers some of what it delivers; a node
 * may be cut off for a while; then the network heals and runs until idle. Throws, in words, the
 * first thing that breaks the README's rules (the referee and the causal order, as they happen),
 * then anything not delivered everywhere exactly once, or still held, at the end.
 */
export function playGroup(run: GroupRun, item: number): void {
  const nodes = NODE_NAMES.slice(0, run.nodes);
  const faults = { loss: run.lossPercent / 100, duplicate: run.duplicatePercent / 100, delay: uniform(1, run.maxDelayMs) };
  const random = new Random(run.seed);
  let answers = 0;
  let broadcasts = 0;
  const broadcast = (node: string, body: string, at: number) => {
    broadcasts++;
    group.broadcast(node, body, at);
  };
  // A node that delivers another's message may answer it a moment later: the answer depends on it.
  const afterDeliver = (node: string, d: Recorded) => {
    if (d.from !== node && answers < MOST_ANSWERS && random.chance(run.answerPercent / 100)) broadcast(node, `${node} answers ${id(d.from, d.seq)} (${++answers})`, random.uniform(0, 5));
  };
  const group = world({ seed: run.seed, nodes, maxBuffered: run.maxBuffered, faults, strict: true, afterDeliver });
  const { net, deliveries } = group;
  for (const node of nodes) {
    for (let i = 1; i <= run.messages; i++) broadcast(node, `${node}:${i}`, random.uniform(0, 500));
  }
  if (run.partitionMs > 0) {
    net.clock.setTimeout(() => net.isolate(nodes[run.seed % nodes.length]), run.partitionAt);
    net.clock.setTimeout(() => net.heal(), run.partitionAt + run.partitionMs);
  }
  try {
    net.runUntilIdle(LIMIT);
  } catch (error) {
    const busy = error instanceof Error && error.message.startsWith('runUntilIdle gave up') && group.unacked();
    throw busy ? new Error(`the run never ended: at t=${round(net.now())} ${busy}, which never acked it (item ${item})`) : error;
  } finally {
    lastRun = { broadcasts, deliveries: [...deliveries.values()].reduce((sum, log) => sum + log.length, 0) };
  }
  group.followsTheRules();
  for (const node of nodes) {
    const got = new Set(group.ids(node));
    const all = nodes.flatMap((n) => group.ids(n).filter((key) => key.startsWith(`${n}#`)));
    const missing = all.filter((key) => !got.has(key));
    if (missing.length > 0) throw new Error(`${node} delivered ${got.size} of the ${all.length} messages; never ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''} (item ${item}: every message is delivered everywhere once the network heals)`);
    const held = group.layer(node).buffered;
    if (held !== 0) throw new Error(`${node} still holds ${held} messages at the end, with every message delivered (item ${item})`);
  }
}

/** A group run in words: the steps of a failure's smallest run. */
export function groupSteps(run: GroupRun): string[] {
  const nodes = NODE_NAMES.slice(0, run.nodes);
  return [
    `${nodes.join(', ')} each broadcast ${run.messages} message${run.messages > 1 ? 's' : ''} in the first 500 ms and answer ${run.answerPercent}% of what they deliver`,
    `maxBuffered ${run.maxBuffered}`,
    `${run.lossPercent}% loss, ${run.duplicatePercent}% copies, delays 1 to ${run.maxDelayMs} ms (netsim seed ${run.seed})`,
    run.partitionMs > 0 ? `${nodes[run.seed % nodes.length]} cut off from t=${run.partitionAt} for ${run.partitionMs} ms` : 'no partition',
    `${lastRun.broadcasts} broadcasts, ${lastRun.deliveries} deliveries in all`,
  ];
}
