/**
 * One entry of a stream. Its id, `<milliseconds>-<sequence>`, is given by the server when the
 * entry is appended and grows with every append: it is the entry's offset in the log.
 */
export interface StreamEntry<T = unknown> {
  readonly id: string;
  /** What was appended (stored as JSON). */
  readonly body: T;
}

/** An entry handed to a consumer of a group; it stays pending until acknowledged. */
export interface GroupEntry<T = unknown> extends StreamEntry<T> {
  /** How many times the group has handed this entry out, this time included (1 the first time). */
  readonly deliveries: number;
}

/** An entry in a group's pending entries list: delivered to a consumer, not yet acknowledged. */
export interface PendingEntry {
  readonly id: string;
  /** The consumer it was last delivered to. */
  readonly consumer: string;
  /** Milliseconds since it was last delivered. */
  readonly idleMs: number;
  /** How many times it was delivered. */
  readonly deliveries: number;
}

/** A consumer group's state. */
export interface GroupInfo {
  readonly name: string;
  /** The id of the last entry handed out to the group: its cursor in the stream. */
  readonly lastDeliveredId: string;
  /** How many entries are delivered and not yet acknowledged. */
  readonly pending: number;
  /** How many consumers the group has seen. */
  readonly consumers: number;
}

/** Options of {@link StreamConnection.readGroup}. */
export interface ReadGroupOptions {
  /** The most entries to return. Default 1. */
  count?: number;
  /** With no new entry, wait up to this many milliseconds (> 0) for one. Default: do not wait. */
  blockMs?: number;
}

/** Options of {@link StreamConnection.claimIdle}. */
export interface ClaimOptions {
  /** Take only entries that have been pending at least this long, unacknowledged. */
  minIdleMs: number;
  /** The most entries to take. Default 100. */
  count?: number;
}

/** Options of {@link StreamConnection.range}. */
export interface RangeOptions {
  /** The first id to return (inclusive). Default `'-'`: the oldest entry kept. */
  from?: string;
  /** The last id to return (inclusive). Default `'+'`: the newest. */
  to?: string;
  /** The most entries to return. Default: all. */
  count?: number;
}

/**
 * One client's connection to a stream server: what a producer or a consumer process holds.
 * Unlike a queue broker's, closing it (or the process dying) gives nothing back: entries
 * delivered to its consumers stay pending, owned by them, until acknowledged or claimed.
 */
export interface StreamConnection {
  /** Appends an entry at the end of `stream` (created if needed) and returns its id (XADD). */
  append(stream: string, body: unknown): Promise<string>;
  /**
   * Creates a consumer group on `stream` (and the stream, if needed), doing nothing if the group
   * exists (XGROUP CREATE ... MKSTREAM). `from: 'start'` hands out the entries already in the
   * stream; `'end'` (the default) only those appended from now on.
   */
  createGroup(stream: string, group: string, options?: { from?: 'start' | 'end' }): Promise<void>;
  /**
   * Reads entries never delivered to `group` before, as its member `consumer` (XREADGROUP ... >):
   * each entry goes to one consumer of the group and stays pending, owned by it, until acknowledged.
   * @throws Error when the group does not exist.
   */
  readGroup<T = unknown>(stream: string, group: string, consumer: string, options?: ReadGroupOptions): Promise<GroupEntry<T>[]>;
  /** Acknowledges entries: they leave the group's pending list. Returns how many were pending (XACK). */
  ack(stream: string, group: string, ids: string[]): Promise<number>;
  /** The group's pending entries, oldest first, at most `count` (default 100) (XPENDING). */
  pending(stream: string, group: string, options?: { count?: number; consumer?: string }): Promise<PendingEntry[]>;
  /**
   * Takes over entries pending for at least `minIdleMs`, whoever owns them, for `consumer`; each
   * counts as a new delivery (XAUTOCLAIM). Pending entries trimmed from the stream are dropped
   * from the pending list and not returned.
   */
  claimIdle<T = unknown>(stream: string, group: string, consumer: string, options: ClaimOptions): Promise<GroupEntry<T>[]>;
  /** Reads the stream itself, from any offset, outside any group: replay (XRANGE). */
  range<T = unknown>(stream: string, options?: RangeOptions): Promise<StreamEntry<T>[]>;
  /** Removes the oldest entries until at most `maxLength` remain; returns how many went (XTRIM MAXLEN). */
  trim(stream: string, options: { maxLength: number }): Promise<number>;
  /** How many entries the stream holds (XLEN). */
  length(stream: string): Promise<number>;
  /** The stream's consumer groups (XINFO GROUPS). */
  groups(stream: string): Promise<GroupInfo[]>;
  /** Deletes a stream, its entries and its groups. */
  deleteStream(stream: string): Promise<void>;
  /** Closes the connection. Pending entries stay pending. */
  close(): Promise<void>;
}

/** A stream server that connections can be opened to: Redis, or the workbook's in-process one. */
export interface StreamServer {
  /** Which implementation this is. */
  readonly kind: 'redis' | 'in-process';
  /** A one-line description for humans, e.g. where it is. */
  readonly description: string;
  /** Opens a new client connection. */
  connect(): Promise<StreamConnection>;
}
