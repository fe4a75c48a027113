/**
 * Exercise 16, reference solution: one pass of a consumer-group worker that first takes over the
 * entries a dead consumer left pending, then reads new ones, and acks each only after its effect
 * is committed (or found already committed).
 * @module
 */
import type { GroupEntry, StreamConnection } from '../../toolkit/stream';

/** What each entry of the stream carries: money to add to an account. */
export interface Deposit {
  account: string;
  amount: number;
}

/** The worker's database: where its effects live, and the only memory that survives a crash. */
export interface EffectStore {
  /**
   * Adds the deposit to its account and records `entryId`, in one transaction. Resolves `true`
   * when it did; `false`, changing nothing, when `entryId` was recorded before (the effect is
   * already there). Rejects when the transaction failed: nothing changed then.
   */
  apply(entryId: string, deposit: Deposit): Promise<boolean>;
}

/** Where a worker reads, who it is, and what it may take over. */
export interface WorkerOptions {
  stream: string;
  group: string;
  /** This worker's name in the group: entries it reads are pending under this name until acked. */
  consumer: string;
  store: EffectStore;
  /** Take over another consumer's pending entries only once they have been idle this long. */
  claimIdleMs: number;
  /** The most entries to claim, and the most new entries to read, in one pass. Default 10. */
  batch?: number;
}

/**
 * One pass of the worker: joins the group (creating it, from the start of the stream, if it does
 * not exist), claims the entries pending for at least `claimIdleMs`, reads new ones, applies the
 * effect of each and acks it. Returns how many entries it took (claimed and read).
 */
export async function workOnce(connection: StreamConnection, options: WorkerOptions): Promise<number> {
  const { stream, group, consumer, claimIdleMs, batch = 10 } = options;
  await connection.createGroup(stream, group, { from: 'start' });
  // Claimed first: those are the oldest, left by a consumer that died (or by this one, after a failure).
  const claimed = await connection.claimIdle<Deposit>(stream, group, consumer, { minIdleMs: claimIdleMs, count: batch });
  const fresh = await connection.readGroup<Deposit>(stream, group, consumer, { count: batch });
  for (const entry of [...claimed, ...fresh]) await handle(connection, options, entry);
  return claimed.length + fresh.length;
}

/** Applies one entry's deposit and acks the entry once that is committed, or was committed before. */
async function handle(connection: StreamConnection, { stream, group, store }: WorkerOptions, entry: GroupEntry<Deposit>): Promise<void> {
  try {
    // Keyed by the entry id, which every redelivery keeps: false means an earlier delivery applied it.
    await store.apply(entry.id, entry.body);
  } catch {
    return; // not acked: it stays pending, and is claimed again once idle
  }
  await connection.ack(stream, group, [entry.id]);
}
