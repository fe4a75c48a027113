// The stream contract, run against the in-process stream server and against Redis. Redis tests
// need a Redis at REDIS_URL: without one they are skipped loudly, except under CI=true.
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { RedisStreamClient } from './redis-client';
import { HOW_TO_START_REDIS, InProcessStreamServer, RedisStreamServer, connectStreams, isRedisReachable, redisUrl, type StreamConnection, type StreamServer } from './index';

const redisUp = await isRedisReachable(redisUrl());
if (!redisUp) {
  const message = `No Redis at ${redisUrl()}: the Redis stream tests did not run.`;
  if (process.env.CI === 'true') {
    it('finds Redis (required under CI=true)', () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n!!! ${message}\n`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const implementations: [string, () => StreamServer, boolean][] = [
  ['in-process stream server', () => new InProcessStreamServer(), true],
  ['Redis', () => new RedisStreamServer(redisUrl()), redisUp],
];

describe.each(implementations)('%s', (_name, makeServer, available) => {
  const open: StreamConnection[] = [];
  const streams: string[] = [];
  let server: StreamServer;

  async function connection(): Promise<StreamConnection> {
    server ??= makeServer();
    const conn = await server.connect();
    open.push(conn);
    return conn;
  }

  /** A stream name of our own, deleted after the test. */
  function freshStream(): string {
    const name = `workbook-test-${randomUUID()}`;
    streams.push(name);
    return name;
  }

  afterEach(async () => {
    if (!available) return;
    const admin = await connection();
    for (const stream of streams.splice(0)) await admin.deleteStream(stream);
    for (const conn of open.splice(0)) await conn.close();
  });

  it.skipIf(!available)('appends entries with growing ids, and replays them from any offset', async () => {
    const conn = await connection();
    const stream = freshStream();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await conn.append(stream, { n }));
    const [ms, seq] = [(id: string) => Number(id.split('-')[0]), (id: string) => Number(id.split('-')[1])];
    for (let i = 1; i < ids.length; i++) {
      expect(ms(ids[i]) > ms(ids[i - 1]) || (ms(ids[i]) === ms(ids[i - 1]) && seq(ids[i]) > seq(ids[i - 1])), `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    }
    expect(await conn.length(stream)).toBe(5);
    expect(await conn.range(stream)).toEqual(ids.map((id, n) => ({ id, body: { n } })));
    expect(await conn.range(stream, { from: ids[2] })).toEqual(ids.slice(2).map((id, i) => ({ id, body: { n: i + 2 } })));
    expect(await conn.range(stream, { from: ids[1], to: ids[3], count: 2 })).toEqual([{ id: ids[1], body: { n: 1 } }, { id: ids[2], body: { n: 2 } }]);
    expect(await conn.range(freshStream())).toEqual([]);
  });

  it.skipIf(!available)('gives every group every entry, and each entry to one consumer within a group', async () => {
    const conn = await connection();
    const stream = freshStream();
    await conn.createGroup(stream, 'billing');
    await conn.createGroup(stream, 'audit');
    for (let n = 0; n < 10; n++) await conn.append(stream, n);
    const got: Record<string, number[]> = {};
    for (const [group, consumer] of [['billing', 'b1'], ['billing', 'b2'], ['audit', 'a1']]) {
      got[`${group}/${consumer}`] = [];
      for (;;) {
        const entries = await conn.readGroup<number>(stream, group, consumer, { count: consumer === 'b1' ? 4 : 100 });
        got[`${group}/${consumer}`].push(...entries.map((e) => e.body));
        if (entries.length === 0 || consumer === 'b1') break;
      }
    }
    expect(got).toEqual({ 'billing/b1': [0, 1, 2, 3], 'billing/b2': [4, 5, 6, 7, 8, 9], 'audit/a1': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });

  it.skipIf(!available)('starts a group at the end or at the start of the log, and never resets an existing one', async () => {
    const conn = await connection();
    const stream = freshStream();
    await conn.append(stream, 'old');
    await conn.createGroup(stream, 'new-only');
    await conn.createGroup(stream, 'history', { from: 'start' });
    await conn.append(stream, 'new');
    const bodies = async (group: string) => (await conn.readGroup(stream, group, 'c', { count: 10 })).map((e) => e.body);
    expect(await bodies('new-only')).toEqual(['new']);
    expect(await bodies('history')).toEqual(['old', 'new']);
    await conn.createGroup(stream, 'history', { from: 'start' });
    expect(await bodies('history')).toEqual([]);
    await expect(conn.readGroup(stream, 'missing', 'c')).rejects.toThrow(/NOGROUP/);
  });

  it.skipIf(!available)('keeps a delivered entry pending, with its consumer and delivery count, until it is acked', async () => {
    const conn = await connection();
    const stream = freshStream();
    await conn.createGroup(stream, 'g');
    const [first, second] = [await conn.append(stream, 'a'), await conn.append(stream, 'b')];
    const delivered = await conn.readGroup(stream, 'g', 'worker-1', { count: 2 });
    expect(delivered).toEqual([{ id: first, body: 'a', deliveries: 1 }, { id: second, body: 'b', deliveries: 1 }]);
    const pending = await conn.pending(stream, 'g');
    expect(pending.map(({ id, consumer, deliveries }) => ({ id, consumer, deliveries }))).toEqual([
      { id: first, consumer: 'worker-1', deliveries: 1 },
      { id: second, consumer: 'worker-1', deliveries: 1 },
    ]);
    expect(pending[0].idleMs).toBeGreaterThanOrEqual(0);
    expect(await conn.ack(stream, 'g', [first, first])).toBe(1);
    expect((await conn.pending(stream, 'g')).map((p) => p.id)).toEqual([second]);
    expect(await conn.groups(stream)).toEqual([{ name: 'g', lastDeliveredId: second, pending: 1, consumers: 1 }]);
    expect(await conn.readGroup(stream, 'g', 'worker-2')).toEqual([]); // a pending entry is not handed out again
  });

  it.skipIf(!available)('leaves a dead consumer’s entries pending, for another to claim once they are idle long enough', async () => {
    const producer = await connection();
    const stream = freshStream();
    await producer.createGroup(stream, 'g');
    for (let n = 0; n < 3; n++) await producer.append(stream, n);
    const doomed = await connection();
    expect(await doomed.readGroup(stream, 'g', 'doomed', { count: 3 })).toHaveLength(3);
    await doomed.close(); // dies holding three entries
    const rescuer = await connection();
    expect(await rescuer.readGroup(stream, 'g', 'rescuer')).toEqual([]);
    expect(await rescuer.claimIdle(stream, 'g', 'rescuer', { minIdleMs: 10_000 })).toEqual([]); // not idle long enough
    await sleep(60);
    const claimed = await rescuer.claimIdle<number>(stream, 'g', 'rescuer', { minIdleMs: 50, count: 2 });
    expect(claimed.map((e) => [e.body, e.deliveries])).toEqual([[0, 2], [1, 2]]);
    expect((await rescuer.pending(stream, 'g')).map((p) => p.consumer)).toEqual(['rescuer', 'rescuer', 'doomed']);
    expect((await rescuer.pending(stream, 'g', { consumer: 'doomed' })).length).toBe(1);
    await rescuer.ack(stream, 'g', claimed.map((e) => e.id));
    expect((await rescuer.pending(stream, 'g')).map((p) => p.consumer)).toEqual(['doomed']);
  });

  it.skipIf(!available)('blocks a read until an entry arrives, or for at most blockMs', async () => {
    const reader = await connection();
    const writer = await connection();
    const stream = freshStream();
    await writer.createGroup(stream, 'g');
    const started = Date.now();
    expect(await reader.readGroup(stream, 'g', 'c', { blockMs: 50 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    const read = reader.readGroup(stream, 'g', 'c', { blockMs: 5_000 });
    await sleep(20);
    const id = await writer.append(stream, 'wake up');
    expect(await read).toEqual([{ id, body: 'wake up', deliveries: 1 }]);
  });

  it.skipIf(!available)('trims the oldest entries: a group that had not read them never will, and trimmed pending entries are dropped', async () => {
    const conn = await connection();
    const stream = freshStream();
    await conn.createGroup(stream, 'fast');
    await conn.createGroup(stream, 'slow');
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) ids.push(await conn.append(stream, n));
    expect(await conn.readGroup(stream, 'fast', 'f', { count: 10 })).toHaveLength(10);
    expect(await conn.trim(stream, { maxLength: 4 })).toBe(6);
    expect(await conn.length(stream)).toBe(4);
    expect((await conn.range(stream)).map((e) => e.id)).toEqual(ids.slice(6));
    expect((await conn.readGroup(stream, 'slow', 's', { count: 100 })).map((e) => e.body)).toEqual([6, 7, 8, 9]);
    const reclaimed = await conn.claimIdle<number>(stream, 'fast', 'f2', { minIdleMs: 0 });
    expect(reclaimed.map((e) => e.body)).toEqual([6, 7, 8, 9]);
    expect((await conn.pending(stream, 'fast')).map((p) => p.id)).toEqual(ids.slice(6));
  });

  it.skipIf(!available)('processes 10,000 entries exactly once in effect although a consumer is killed midway', { timeout: 120_000 }, async () => {
    const producer = await connection();
    const stream = freshStream();
    await producer.createGroup(stream, 'workers');
    for (let start = 0; start < 10_000; start += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => producer.append(stream, { amount: 1, n: start + i })));
    }
    expect(await producer.length(stream)).toBe(10_000);

    // The "database": entries whose effect was applied. Applying is idempotent by entry id.
    const applied = new Set<string>();
    let effects = 0;
    let redeliveries = 0;
    const worker = async (name: string, dieAfter: number | null) => {
      const conn = await connection();
      let handled = 0;
      for (;;) {
        const claimed = await conn.claimIdle(stream, 'workers', name, { minIdleMs: 100, count: 50 });
        const entries = claimed.length > 0 ? claimed : await conn.readGroup(stream, 'workers', name, { count: 50, blockMs: 20 });
        if (entries.length === 0 && applied.size === 10_000 && (await conn.pending(stream, 'workers', { count: 1 })).length === 0) return;
        for (const entry of entries) {
          if (entry.deliveries > 1) redeliveries++;
          if (!applied.has(entry.id)) {
            applied.add(entry.id);
            effects++;
          }
          if (dieAfter !== null && ++handled === dieAfter) {
            await conn.close(); // dies after the effect, before the ack: the worst moment
            return;
          }
          await conn.ack(stream, 'workers', [entry.id]);
        }
      }
    };
    await Promise.all([worker('doomed', 3_000), worker('survivor', null)]);
    expect(effects).toBe(10_000);
    expect(applied.size).toBe(10_000);
    expect(redeliveries).toBeGreaterThan(0); // the kill really left entries to claim
    expect(await producer.pending(stream, 'workers')).toEqual([]);
  });
});

describe('the narrow type of the redis client', () => {
  it('is satisfied by the real client (checked by the type checker)', () => {
    expectTypeOf<ReturnType<typeof createClient>>().toExtend<RedisStreamClient>();
  });
});

describe('connectStreams', () => {
  it('falls back to the in-process server, or explains how to start Redis, when none answers', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const url = `redis://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    expect((await connectStreams({ url, fallback: true })).kind).toBe('in-process');
    await expect(connectStreams({ url })).rejects.toThrow(HOW_TO_START_REDIS);
  });
});
