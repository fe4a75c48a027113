import { compareIds, formatId, parseId, type EntryId } from './ids';
import type {
  ClaimOptions,
  GroupEntry,
  GroupInfo,
  PendingEntry,
  RangeOptions,
  ReadGroupOptions,
  StreamConnection,
  StreamEntry,
  StreamServer,
} from './types';

interface StoredEntry {
  id: string;
  key: EntryId;
  /** JSON text: an entry is copied, as it would be over a network. */
  json: string;
}

interface PendingState {
  consumer: string;
  deliveredAt: number;
  deliveries: number;
}

interface GroupState {
  lastDelivered: EntryId;
  /** Pending entries by id. Delivery only ever adds ids above every earlier one, so the map stays in id order. */
  pending: Map<string, PendingState>;
  consumers: Set<string>;
}

interface StreamState {
  /** In id order; trimming removes from the front. */
  entries: StoredEntry[];
  byId: Map<string, StoredEntry>;
  lastId: EntryId;
  groups: Map<string, GroupState>;
  /** Blocked readers to wake on the next append. */
  waiting: Set<() => void>;
}

const toEntry = <T>(stored: StoredEntry): StreamEntry<T> => ({ id: stored.id, body: JSON.parse(stored.json) as T });

/**
 * A stream server inside this process, with the semantics of Redis Streams for the parts the
 * workbook uses: ids from the clock, consumer groups with a cursor and a pending entries list,
 * acks, claiming idle entries, ranges, trimming. Lesson 15 falls back to it when no Redis is
 * reachable. Idle times are wall-clock milliseconds, as on Redis.
 */
export class InProcessStreamServer implements StreamServer {
  readonly kind = 'in-process' as const;
  readonly description = 'the workbook’s in-process stream server (no Redis reachable)';
  private readonly streams = new Map<string, StreamState>();

  async connect(): Promise<StreamConnection> {
    return new InProcessStreamConnection(this);
  }

  /** @internal */
  stream(name: string, create: boolean): StreamState | undefined {
    let stream = this.streams.get(name);
    if (!stream && create) {
      stream = { entries: [], byId: new Map(), lastId: { ms: 0, seq: 0 }, groups: new Map(), waiting: new Set() };
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** @internal */
  group(streamName: string, groupName: string): { stream: StreamState; group: GroupState } {
    const stream = this.streams.get(streamName);
    const group = stream?.groups.get(groupName);
    if (!stream || !group) throw new Error(`NOGROUP No such key '${streamName}' or consumer group '${groupName}'`);
    return { stream, group };
  }

  /** @internal */
  delete(name: string): void {
    const stream = this.streams.get(name);
    this.streams.delete(name);
    stream?.waiting.forEach((wake) => wake());
  }
}

class InProcessStreamConnection implements StreamConnection {
  private closed = false;
  /** Blocked reads of this connection, woken (to fail) when it closes. */
  private readonly blocked = new Set<() => void>();

  constructor(private readonly server: InProcessStreamServer) {}

  async append(streamName: string, body: unknown): Promise<string> {
    this.checkOpen();
    const stream = this.server.stream(streamName, true) as StreamState;
    const now = Date.now();
    const key = now > stream.lastId.ms ? { ms: now, seq: 0 } : { ms: stream.lastId.ms, seq: stream.lastId.seq + 1 };
    const entry = { id: formatId(key), key, json: JSON.stringify(body) ?? 'null' };
    stream.entries.push(entry);
    stream.byId.set(entry.id, entry);
    stream.lastId = key;
    const waiting = [...stream.waiting];
    stream.waiting.clear();
    waiting.forEach((wake) => wake());
    return entry.id;
  }

  async createGroup(streamName: string, groupName: string, options: { from?: 'start' | 'end' } = {}): Promise<void> {
    this.checkOpen();
    const stream = this.server.stream(streamName, true) as StreamState;
    if (stream.groups.has(groupName)) return;
    const lastDelivered = options.from === 'start' ? { ms: 0, seq: 0 } : stream.lastId;
    stream.groups.set(groupName, { lastDelivered, pending: new Map(), consumers: new Set() });
  }

  async readGroup<T = unknown>(streamName: string, groupName: string, consumer: string, options: ReadGroupOptions = {}): Promise<GroupEntry<T>[]> {
    const deadline = options.blockMs ? Date.now() + options.blockMs : 0;
    for (;;) {
      this.checkOpen();
      const { stream, group } = this.server.group(streamName, groupName);
      group.consumers.add(consumer);
      const fresh = this.deliverNew(stream, group, consumer, options.count ?? 1);
      const remaining = deadline - Date.now();
      if (fresh.length > 0 || remaining <= 0) return fresh.map((entry) => ({ ...toEntry<T>(entry), deliveries: 1 }));
      await this.waitForAppend(stream, remaining);
    }
  }

  async ack(streamName: string, groupName: string, ids: string[]): Promise<number> {
    this.checkOpen();
    const group = this.server.stream(streamName, false)?.groups.get(groupName);
    return group ? ids.filter((id) => group.pending.delete(id)).length : 0;
  }

  async pending(streamName: string, groupName: string, options: { count?: number; consumer?: string } = {}): Promise<PendingEntry[]> {
    this.checkOpen();
    const { group } = this.server.group(streamName, groupName);
    const now = Date.now();
    const found: PendingEntry[] = [];
    for (const [id, state] of group.pending) {
      if (found.length >= (options.count ?? 100)) break;
      if (options.consumer !== undefined && state.consumer !== options.consumer) continue;
      found.push({ id, consumer: state.consumer, idleMs: now - state.deliveredAt, deliveries: state.deliveries });
    }
    return found;
  }

  async claimIdle<T = unknown>(streamName: string, groupName: string, consumer: string, options: ClaimOptions): Promise<GroupEntry<T>[]> {
    this.checkOpen();
    const { stream, group } = this.server.group(streamName, groupName);
    group.consumers.add(consumer);
    const now = Date.now();
    const claimed: GroupEntry<T>[] = [];
    for (const [id, state] of group.pending) {
      if (claimed.length >= (options.count ?? 100)) break;
      if (now - state.deliveredAt < options.minIdleMs) continue;
      const entry = stream.byId.get(id);
      if (!entry) {
        group.pending.delete(id); // trimmed while pending: nothing left to claim
        continue;
      }
      Object.assign(state, { consumer, deliveredAt: now, deliveries: state.deliveries + 1 });
      claimed.push({ ...toEntry<T>(entry), deliveries: state.deliveries });
    }
    return claimed;
  }

  async range<T = unknown>(streamName: string, options: RangeOptions = {}): Promise<StreamEntry<T>[]> {
    this.checkOpen();
    const stream = this.server.stream(streamName, false);
    if (!stream) return [];
    const from = parseId(options.from ?? '-');
    const to = parseId(options.to ?? '+', true);
    const found: StreamEntry<T>[] = [];
    for (let i = firstIndexAtOrAfter(stream.entries, from); i < stream.entries.length && found.length < (options.count ?? Infinity); i++) {
      if (compareIds(stream.entries[i].key, to) > 0) break;
      found.push(toEntry<T>(stream.entries[i]));
    }
    return found;
  }

  async trim(streamName: string, options: { maxLength: number }): Promise<number> {
    this.checkOpen();
    const stream = this.server.stream(streamName, false);
    if (!stream) return 0;
    const removed = stream.entries.splice(0, Math.max(0, stream.entries.length - options.maxLength));
    removed.forEach((entry) => stream.byId.delete(entry.id));
    return removed.length;
  }

  async length(streamName: string): Promise<number> {
    this.checkOpen();
    return this.server.stream(streamName, false)?.entries.length ?? 0;
  }

  async groups(streamName: string): Promise<GroupInfo[]> {
    this.checkOpen();
    const stream = this.server.stream(streamName, false);
    return [...(stream?.groups ?? [])].map(([name, group]) => ({
      name,
      lastDeliveredId: formatId(group.lastDelivered),
      pending: group.pending.size,
      consumers: group.consumers.size,
    }));
  }

  async deleteStream(streamName: string): Promise<void> {
    this.checkOpen();
    this.server.delete(streamName);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.blocked.forEach((wake) => wake());
  }

  /** Hands the group's next undelivered entries to `consumer`, recording them as pending. */
  private deliverNew(stream: StreamState, group: GroupState, consumer: string, count: number): StoredEntry[] {
    const start = firstIndexAtOrAfter(stream.entries, { ms: group.lastDelivered.ms, seq: group.lastDelivered.seq + 1 });
    const fresh = stream.entries.slice(start, start + count);
    const now = Date.now();
    for (const entry of fresh) group.pending.set(entry.id, { consumer, deliveredAt: now, deliveries: 1 });
    if (fresh.length > 0) group.lastDelivered = fresh[fresh.length - 1].key;
    return fresh;
  }

  /** Resolves on the stream's next append, after `timeoutMs`, or when this connection closes. */
  private waitForAppend(stream: StreamState, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        stream.waiting.delete(wake);
        this.blocked.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      stream.waiting.add(wake);
      this.blocked.add(wake);
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the connection is closed');
  }
}

/** The index of the first entry whose id is at or after `key` (binary search). */
function firstIndexAtOrAfter(entries: StoredEntry[], key: EntryId): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareIds(entries[mid].key, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
