/**
 * Exercise 16: a worker in a consumer group of a Redis stream that applies the effect of every
 * entry exactly once, while consumers die: it takes over what a dead consumer left pending, and
 * acks an entry only once its effect is committed, and dead-letters an entry handed out too often.
 * Read README.md first. Run `npm run grade -- 16` to check your work.
 * @module
 */
import type { StreamConnection } from '../../../../toolkit/stream';

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
  const { stream, group, consumer, store, claimIdleMs, deadLetterStream } = options;
  const batch = options.batch ?? 10;
  const maxDeliveries = options.maxDeliveries ?? 5;

  await connection.createGroup(stream, group, { from: 'start' });
  // What dead consumers left behind (idle long enough), then what is new.
  const claimed = await connection.claimIdle<Deposit>(stream, group, consumer, { minIdleMs: claimIdleMs, count: batch });
  const fresh = await connection.readGroup<Deposit>(stream, group, consumer, { count: batch });
  const entries = [...claimed, ...fresh];
  let taken = 0;

  for (const entry of entries) {
    if (entry.deliveries > maxDeliveries) {
      // Handed out too often: give up on it. Append first, ack after: dying in between keeps it pending.
      const letter: DeadLetter = { entryId: entry.id, deposit: entry.body, deliveries: entry.deliveries };
      await connection.append(deadLetterStream, letter);
      await connection.ack(stream, group, [entry.id]);
      continue;
    }
    taken++;
    try {
      await store.apply(entry.id, entry.body); // false: applied by an earlier delivery; ack it too
    } catch {
      continue; // not acked: it stays pending and is claimed again once idle
    }
    await connection.ack(stream, group, [entry.id]);
  }
  return taken;
}
