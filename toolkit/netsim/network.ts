import { VirtualClock, type Clock, type RunOptions, type TimerId } from './clock';
import { NO_FAULTS, resolveFaults, sampleDelay, type LinkFaults, type ResolvedFaults } from './faults';
import { InFlight } from './in-flight';
import { Random } from './random';
import { toMermaid, type DropReason, type MermaidOptions, type TraceEvent } from './trace';
import { TraceLog } from './trace-log';

/** A message as a node receives it. */
export interface Message<T = unknown> {
  /** The network's number for this send; a duplicate copy carries the same id. */
  readonly id: number;
  readonly from: string;
  readonly to: string;
  /** What the sender passed to `send`. It is not copied: treat it as read-only. */
  readonly payload: T;
  /** Virtual time of the send. */
  readonly sentAt: number;
  /** True for the extra copy made by a duplication fault. */
  readonly copy: boolean;
}

/** Called for every message delivered to a node. */
export type MessageHandler<T = unknown> = (message: Message<T>) => void;

/** Options for a {@link Network}. */
export interface NetworkOptions {
  /** Seed of the network's random choices (loss, duplication, delays). Default 1. */
  seed?: number;
  /** Faults of every link that has none of its own. Default: no loss, no duplication, 1 ms delay. */
  faults?: LinkFaults;
  /**
   * Record every event in {@link Network.trace}. Default true. Recording is cheap (a few numbers
   * per event); turn it off to save the memory in runs of many millions of messages.
   */
  trace?: boolean;
}

/** What the network has done so far. */
export interface NetworkStats {
  /** Calls to `send`. */
  sent: number;
  /** Messages handed to a handler, copies included. */
  delivered: number;
  /** Messages that never arrived, for any reason. */
  dropped: number;
  /** Extra copies made by duplication faults. */
  duplicated: number;
  /** `dropped`, broken down by reason. */
  droppedBy: Record<DropReason, number>;
}

/**
 * One node's view of the network: its address, a way to send, a place to receive, and timers.
 * Protocol code (a sender that retransmits, a receiver that acks) is written against this.
 * Timers started here belong to the node: a crash cancels them, as a real crash would.
 */
export class Endpoint implements Clock {
  private handler: MessageHandler | null;
  private readonly timers = new Set<TimerId>();

  /** @internal Endpoints are made by {@link Network.addNode}. */
  constructor(
    /** The node's address. */
    readonly id: string,
    private readonly network: Network,
    handler: MessageHandler | null,
  ) {
    this.handler = handler;
  }

  /** Sends `payload` to the node `to`; the network decides whether, when and how often it arrives. */
  send(to: string, payload: unknown): void {
    this.network.send(this.id, to, payload);
  }

  /** Sets the function that receives this node's messages (replacing any earlier one). */
  onMessage<T = unknown>(handler: MessageHandler<T>): void {
    this.handler = handler as MessageHandler;
  }

  /** The current virtual time in ms. */
  now(): number {
    return this.network.clock.now();
  }

  /** Runs `callback` after `ms` of virtual time, unless this node crashes first. */
  setTimeout(callback: () => void, ms: number): TimerId {
    const id = this.network.clock.setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, ms);
    this.timers.add(id);
    return id;
  }

  /** Cancels a timer of this node. */
  clearTimeout(id: TimerId | undefined): void {
    if (id === undefined) return;
    this.timers.delete(id);
    this.network.clock.clearTimeout(id);
  }

  /** Whether the node is running (not crashed). */
  get isUp(): boolean {
    return this.network.isUp(this.id);
  }

  /** @internal */
  receive(message: Message): void {
    this.handler?.(message);
  }

  /** @internal Cancels every timer of this node. */
  cancelTimers(): void {
    for (const id of this.timers) this.network.clock.clearTimeout(id);
    this.timers.clear();
  }
}

const linkKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * A deterministic, unreliable network in virtual time.
 *
 * Nodes have addresses and message handlers. Every {@link send} is subject to the faults of its
 * link (loss, duplication, delay; different delays reorder messages), to partitions, and to crashed
 * nodes. Nothing happens until the clock moves ({@link advance}, {@link runUntilIdle}). All random
 * choices come from one seeded generator, so the same seed and the same program give the same trace.
 *
 * @example
 * ```ts
 * const net = new Network({ seed: 7, faults: { loss: 0.2, delay: uniform(5, 15) } });
 * const received: unknown[] = [];
 * net.addNode('a');
 * net.addNode('b', (m) => received.push(m.payload));
 * for (let i = 0; i < 10; i++) net.send('a', 'b', i);
 * net.runUntilIdle();
 * console.log(received, net.stats);
 * ```
 */
export class Network {
  /** The virtual clock that drives this network. Use it for protocol timers. */
  readonly clock = new VirtualClock();
  private readonly random: Random;
  /** Node number by name; names and endpoints by number. */
  private readonly numbers = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly endpoints: Endpoint[] = [];
  private readonly down: boolean[] = [];
  private defaultFaults: ResolvedFaults;
  private readonly linkOverrides = new Map<string, LinkFaults>();
  private readonly resolvedLinks = new Map<string, ResolvedFaults>();
  private groupOf = new Map<string, number>();
  private readonly log: TraceLog | null;
  private readonly inFlight = new InFlight();
  private readonly deliveryLane: number;
  private nextMessageId = 1;
  private readonly counters: NetworkStats = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    duplicated: 0,
    droppedBy: { loss: 0, partition: 0, 'receiver-down': 0, 'sender-down': 0 },
  };

  constructor(options: NetworkOptions = {}) {
    this.random = new Random(options.seed ?? 1);
    this.defaultFaults = resolveFaults(NO_FAULTS, options.faults ?? {});
    this.log = options.trace ?? true ? new TraceLog(this.names) : null;
    this.deliveryLane = this.clock.addLane((slot) => this.deliver(slot));
  }

  /**
   * Adds a node. `handler` receives its messages (it can also be set later with
   * {@link Endpoint.onMessage}).
   * @throws Error if a node with this id exists.
   */
  addNode<T = unknown>(id: string, handler?: MessageHandler<T>): Endpoint {
    if (typeof id !== 'string' || id === '') throw new TypeError(`node id must be a non-empty string, got ${String(id)}`);
    if (this.numbers.has(id)) throw new Error(`node "${id}" already exists`);
    const endpoint = new Endpoint(id, this, (handler as MessageHandler | undefined) ?? null);
    this.numbers.set(id, this.names.length);
    this.names.push(id);
    this.endpoints.push(endpoint);
    this.down.push(false);
    return endpoint;
  }

  /** The endpoint of node `id`. @throws Error for an unknown node. */
  node(id: string): Endpoint {
    return this.endpoints[this.numberOf(id)];
  }

  /** The ids of every node, in the order they were added. */
  get nodes(): string[] {
    return [...this.names];
  }

  /**
   * Sends `payload` from `from` to `to`. Returns at once: delivery happens later in virtual time,
   * or never.
   * @throws Error if either node is unknown.
   */
  send(from: string, to: string, payload: unknown): void {
    const sender = this.numberOf(from);
    const receiver = this.numberOf(to);
    const id = this.nextMessageId++;
    const now = this.clock.now();
    this.counters.sent++;
    this.log?.send(now, sender, receiver, payload);
    if (this.down[sender]) return this.dropAtSend('sender-down');
    if (this.isPartitioned(from, to)) return this.dropAtSend('partition');
    const faults = this.faultsOf(from, to);
    if (this.random.chance(faults.loss)) return this.dropAtSend('loss');
    this.launch(id, sender, receiver, payload, now, false, sampleDelay(faults.delay, this.random));
    if (this.random.chance(faults.duplicate)) {
      this.counters.duplicated++;
      this.log?.duplicate(now);
      this.launch(id, sender, receiver, payload, now, true, sampleDelay(faults.delay, this.random));
    }
  }

  /** Changes the faults of every link that has no faults of its own. */
  setFaults(faults: LinkFaults): void {
    this.defaultFaults = resolveFaults(this.defaultFaults, faults);
    this.resolvedLinks.clear();
  }

  /**
   * Gives the link from `from` to `to` faults of its own, on top of the network-wide ones.
   * Links are one-way; pass `{ bothWays: true }` to set the reverse link too.
   */
  setLinkFaults(from: string, to: string, faults: LinkFaults, options: { bothWays?: boolean } = {}): void {
    this.node(from);
    this.node(to);
    const links = options.bothWays ? [[from, to], [to, from]] : [[from, to]];
    for (const [a, b] of links) {
      const merged = { ...this.linkOverrides.get(linkKey(a, b)), ...faults };
      resolveFaults(this.defaultFaults, merged); // validates before anything changes
      this.linkOverrides.set(linkKey(a, b), merged);
    }
    this.resolvedLinks.clear();
  }

  /** Removes every link's own faults: all links follow the network-wide faults again. */
  clearLinkFaults(): void {
    this.linkOverrides.clear();
    this.resolvedLinks.clear();
  }

  /**
   * Splits the network: messages between nodes of different groups are dropped (also those
   * already in flight). Nodes named in no group keep talking to everyone. Replaces any earlier
   * partition.
   */
  partition(...groups: string[][]): void {
    const groupOf = new Map<string, number>();
    groups.forEach((group, index) => {
      for (const id of group) {
        this.node(id);
        if (groupOf.has(id)) throw new Error(`node "${id}" is in more than one partition group`);
        groupOf.set(id, index);
      }
    });
    this.groupOf = groupOf;
    this.log?.other({ t: this.clock.now(), kind: 'partition', groups: groups.map((g) => [...g]) });
  }

  /** Cuts `ids` off from every other node (they can still talk among themselves). */
  isolate(...ids: string[]): void {
    const rest = this.nodes.filter((id) => !ids.includes(id));
    this.partition(ids, rest);
  }

  /** Ends any partition. */
  heal(): void {
    this.groupOf = new Map();
    this.log?.other({ t: this.clock.now(), kind: 'heal' });
  }

  /**
   * Crashes a node: its timers are cancelled, messages that reach it are dropped, and what it
   * sends is dropped, until {@link restart}.
   */
  crash(id: string): void {
    const number = this.numberOf(id);
    this.down[number] = true;
    this.endpoints[number].cancelTimers();
    this.log?.other({ t: this.clock.now(), kind: 'crash', node: id });
  }

  /**
   * Restarts a crashed node. Pass a fresh `handler` to model a process that lost its memory;
   * without one the node keeps its old handler.
   */
  restart<T = unknown>(id: string, handler?: MessageHandler<T>): void {
    const number = this.numberOf(id);
    this.down[number] = false;
    if (handler) this.endpoints[number].onMessage(handler);
    this.log?.other({ t: this.clock.now(), kind: 'restart', node: id });
  }

  /**
   * Marks a decision of the code on node `id` in the trace, at this moment: what a check or a
   * lesson saw it decide (a node suspected, a message handed on, a message dead-lettered). The
   * trace records it as a `note` event; {@link toMermaid} draws it as a note over the node
   * (`Note over id: t=2135 suspects w`), between the messages it came after and before. Nothing
   * is sent and nothing changes on the network; without a trace it does nothing.
   * @example
   * ```ts
   * const detector = new FailureDetector(net.node('monitor'), (node, suspected) => {
   *   net.note('monitor', suspected ? `suspects ${node}` : `trusts ${node} again`);
   * });
   * ```
   * @throws Error for an unknown node.
   */
  note(id: string, text: string): void {
    this.numberOf(id);
    this.log?.other({ t: this.clock.now(), kind: 'note', node: id, text });
  }

  /** Whether node `id` is running. */
  isUp(id: string): boolean {
    return !this.down[this.numberOf(id)];
  }

  /** The current virtual time in ms. */
  now(): number {
    return this.clock.now();
  }

  /** Runs the network for `ms` of virtual time. See {@link VirtualClock.advance}. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** Runs until no message is in flight and no timer is pending. See {@link VirtualClock.runUntilIdle}. */
  runUntilIdle(options?: RunOptions): number {
    return this.clock.runUntilIdle(options);
  }

  /** {@link advance} for code that awaits promises between events. */
  advanceAsync(ms: number): Promise<void> {
    return this.clock.advanceAsync(ms);
  }

  /** {@link runUntilIdle} for code that awaits promises between events. */
  runUntilIdleAsync(options?: RunOptions): Promise<number> {
    return this.clock.runUntilIdleAsync(options);
  }

  /** A snapshot of the counters. */
  get stats(): NetworkStats {
    return { ...this.counters, droppedBy: { ...this.counters.droppedBy } };
  }

  /**
   * Every recorded event, oldest first (empty when tracing is off). Each read brings the array up
   * to date with the events since the last one; do not change it.
   */
  get trace(): readonly TraceEvent[] {
    return this.log?.events() ?? [];
  }

  /** The trace (or its first `limit` events) as a mermaid `sequenceDiagram`. */
  toMermaid(options: MermaidOptions = {}): string {
    return toMermaid(this.log?.events(options.limit) ?? [], { participants: this.nodes, ...options });
  }

  private numberOf(id: string): number {
    const number = this.numbers.get(id);
    if (number === undefined) throw new Error(`unknown node "${id}" (known: ${this.names.join(', ') || 'none'})`);
    return number;
  }

  private faultsOf(from: string, to: string): ResolvedFaults {
    if (this.linkOverrides.size === 0) return this.defaultFaults;
    const key = linkKey(from, to);
    let faults = this.resolvedLinks.get(key);
    if (!faults) {
      const override = this.linkOverrides.get(key);
      faults = override ? resolveFaults(this.defaultFaults, override) : this.defaultFaults;
      this.resolvedLinks.set(key, faults);
    }
    return faults;
  }

  private isPartitioned(from: string, to: string): boolean {
    if (this.groupOf.size === 0) return false;
    const a = this.groupOf.get(from);
    const b = this.groupOf.get(to);
    return a !== undefined && b !== undefined && a !== b;
  }

  /** Puts a message on the wire, to arrive in `delayMs`. */
  private launch(id: number, sender: number, receiver: number, payload: unknown, sentAt: number, copy: boolean, delayMs: number): void {
    this.clock.scheduleOnLane(this.deliveryLane, this.inFlight.add(id, sender, receiver, payload, sentAt, copy), delayMs);
  }

  /** A message arrives at its receiver, unless the receiver is down or cut off. */
  private deliver(slot: number): void {
    const wire = this.inFlight;
    const id = wire.ids[slot];
    const receiver = wire.receivers[slot];
    const from = this.names[wire.senders[slot]];
    const to = this.names[receiver];
    const payload = wire.payloads[slot];
    const sentAt = wire.sentAts[slot];
    const copy = wire.copies[slot] === 1;
    wire.release(slot);
    if (this.down[receiver]) return this.dropInFlight(id, 'receiver-down');
    if (this.isPartitioned(from, to)) return this.dropInFlight(id, 'partition');
    this.counters.delivered++;
    this.log?.deliver(this.clock.now(), id, copy);
    this.endpoints[receiver].receive({ id, from, to, payload, sentAt, copy });
  }

  /** Drops the message being sent. */
  private dropAtSend(reason: DropReason): void {
    this.count(reason);
    this.log?.dropAtSend(this.clock.now(), reason);
  }

  /** Drops message `id` as it arrives. */
  private dropInFlight(id: number, reason: DropReason): void {
    this.count(reason);
    this.log?.dropInFlight(this.clock.now(), id, reason);
  }

  private count(reason: DropReason): void {
    this.counters.dropped++;
    this.counters.droppedBy[reason]++;
  }
}
