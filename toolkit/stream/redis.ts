import { createRequire } from 'node:module';
import type { RedisStreamClient, RedisStreamMessage } from './redis-client';
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

/** The `redis` client, loaded without its types (see {@link RedisStreamClient} for why). */
const { createClient } = createRequire(__filename)('redis') as {
  createClient: (options: { url: string; socket: { reconnectStrategy: false } }) => RedisStreamClient;
};

/** The one field each entry has on Redis: its body, as JSON. */
const BODY = 'body';

const toEntry = <T>(message: RedisStreamMessage): StreamEntry<T> => ({ id: message.id, body: JSON.parse(message.message[BODY]) as T });

/** Redis Streams through the `redis` client, behind the workbook's small {@link StreamServer} interface. */
export class RedisStreamServer implements StreamServer {
  readonly kind = 'redis' as const;
  readonly description: string;

  /** @param url a Redis URL, e.g. `redis://127.0.0.1:6379` */
  constructor(readonly url: string) {
    this.description = `Redis at ${url.replace(/\/\/[^@/]*@/, '//')}`;
  }

  async connect(): Promise<StreamConnection> {
    // No reconnecting: a connection that drops stays dropped, as a dead process's would.
    const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
    client.on('error', () => {}); // an unhandled 'error' event would crash the process; commands fail instead
    await client.connect();
    return new RedisStreamConnection(client);
  }
}

class RedisStreamConnection implements StreamConnection {
  constructor(private readonly client: RedisStreamClient) {}

  append(stream: string, body: unknown): Promise<string> {
    return this.client.xAdd(stream, '*', { [BODY]: JSON.stringify(body) ?? 'null' });
  }

  async createGroup(stream: string, group: string, options: { from?: 'start' | 'end' } = {}): Promise<void> {
    try {
      await this.client.xGroupCreate(stream, group, options.from === 'start' ? '0' : '$', { MKSTREAM: true });
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async readGroup<T = unknown>(stream: string, group: string, consumer: string, options: ReadGroupOptions = {}): Promise<GroupEntry<T>[]> {
    const reply = await this.client.xReadGroup(group, consumer, { key: stream, id: '>' }, { COUNT: options.count ?? 1, BLOCK: options.blockMs });
    const messages = reply?.[0]?.messages ?? [];
    return messages.map((message) => ({ ...toEntry<T>(message), deliveries: 1 }));
  }

  async ack(stream: string, group: string, ids: string[]): Promise<number> {
    return ids.length === 0 ? 0 : this.client.xAck(stream, group, ids);
  }

  async pending(stream: string, group: string, options: { count?: number; consumer?: string } = {}): Promise<PendingEntry[]> {
    const reply = await this.client.xPendingRange(stream, group, '-', '+', options.count ?? 100, { consumer: options.consumer });
    return reply.map((p) => ({ id: p.id, consumer: p.consumer, idleMs: p.millisecondsSinceLastDelivery, deliveries: p.deliveriesCounter }));
  }

  async claimIdle<T = unknown>(stream: string, group: string, consumer: string, options: ClaimOptions): Promise<GroupEntry<T>[]> {
    const limit = options.count ?? 100;
    const claimed: StreamEntry<T>[] = [];
    let cursor = '0-0';
    do {
      // XAUTOCLAIM looks at a bounded slice of the pending list per call; the cursor says where to go on.
      const reply = await this.client.xAutoClaim(stream, group, consumer, options.minIdleMs, cursor, { COUNT: limit - claimed.length });
      for (const message of reply.messages) if (message) claimed.push(toEntry<T>(message));
      cursor = reply.nextId;
    } while (cursor !== '0-0' && claimed.length < limit);
    // XAUTOCLAIM does not say how often each entry was delivered; the pending list does.
    const states = await Promise.all(claimed.map((entry) => this.client.xPendingRange(stream, group, entry.id, entry.id, 1)));
    return claimed.flatMap((entry, i) => {
      const state = states[i][0];
      return state?.consumer === consumer ? [{ ...entry, deliveries: state.deliveriesCounter }] : []; // else claimed away meanwhile
    });
  }

  async range<T = unknown>(stream: string, options: RangeOptions = {}): Promise<StreamEntry<T>[]> {
    const reply = await this.client.xRange(stream, options.from ?? '-', options.to ?? '+', options.count === undefined ? undefined : { COUNT: options.count });
    return (reply ?? []).map((message) => toEntry<T>(message));
  }

  trim(stream: string, options: { maxLength: number }): Promise<number> {
    return this.client.xTrim(stream, 'MAXLEN', options.maxLength);
  }

  length(stream: string): Promise<number> {
    return this.client.xLen(stream);
  }

  async groups(stream: string): Promise<GroupInfo[]> {
    if ((await this.client.exists(stream)) === 0) return [];
    const reply = await this.client.xInfoGroups(stream);
    return reply.map((g) => ({ name: g.name, lastDeliveredId: g['last-delivered-id'], pending: g.pending, consumers: g.consumers }));
  }

  async deleteStream(stream: string): Promise<void> {
    await this.client.del(stream);
  }

  async close(): Promise<void> {
    // At once, as a process dies: a blocked read fails instead of being waited for.
    if (this.client.isOpen) this.client.destroy();
  }
}
