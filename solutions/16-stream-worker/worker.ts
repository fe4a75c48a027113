/**
 * Exercise 16, reference solution: one pass of a consumer-group worker that first takes over the
 * entries a dead consumer left pending, then reads new ones, and acks each only after its effect
 * is committed (or found already committed). An entry handed out too many times goes to a
 * dead-letter stream instead of being tried again.
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

/** What the worker appends to the dead-letter stream for an entry it gives up on. */
export interface DeadLetter {
  /** The id of the entry in its own stream. */
  entryId: string;
  deposit: Deposit;
  /** How many times the group had handed the entry out, the delivery that dead-lettered it included. */
  deliveries: number;
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
  /** Where entries handed out more than `maxDeliveries` times go, as {@link DeadLetter}s. */
  deadLetterStream: string;
  /** How many deliveries an entry may have to get its effect applied; a later one dead-letters it. Default 5. */
  maxDeliveries?: number;
}

/**
 * One pass of the worker: joins the group (creating it, from the start of the stream, if it does
 * not exist), claims the entries pending for at least `claimIdleMs`, reads new ones, applies the
 * effect of each and acks it, or dead-letters it when it was handed out more than `maxDeliveries`
 * times. Returns how many entries it took (claimed and read).
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

/**
 * Applies one entry's deposit and acks the entry once that is committed, or was committed before;
 * or, past its last allowed delivery, dead-letters the entry and then acks it.
 */
async function handle(connection: StreamConnection, options: WorkerOptions, entry: GroupEntry<Deposit>): Promise<void> {
  const { stream, group, store, deadLetterStream, maxDeliveries = 5 } = options;
  // Checked before applying: a poison entry may kill every worker that applies it, so no catch would ever see it fail.
  if (entry.deliveries > maxDeliveries) {
    const letter: DeadLetter = { entryId: entry.id, deposit: entry.body, deliveries: entry.deliveries };
    // Appended before the ack: dying in between leaves it pending, so it is dead-lettered again rather than lost.
    await connection.append(deadLetterStream, letter);
    await connection.ack(stream, group, [entry.id]);
    return;
  }
  try {
    // Keyed by the entry id, which every redelivery keeps: false means an earlier delivery applied it.
    await store.apply(entry.id, entry.body);
  } catch {
    return; // not acked: it stays pending, and is claimed again once idle
  }
  await connection.ack(stream, group, [entry.id]);
}
