/**
 * Exercise 16: a worker in a consumer group of a Redis stream that applies the effect of every
 * entry exactly once, while consumers die.
 * @module
 */
import type { GroupEntry, StreamConnection } from '../../../../toolkit/stream';

export interface Deposit {
  account: string;
  amount: number;
}

export interface EffectStore {
  apply(entryId: string, deposit: Deposit): Promise<boolean>;
}

export interface DeadLetter {
  entryId: string;
  deposit: Deposit;
  deliveries: number;
}

export interface WorkerOptions {
  stream: string;
  group: string;
  consumer: string;
  store: EffectStore;
  claimIdleMs: number;
  batch?: number;
  deadLetterStream: string;
  maxDeliveries?: number;
}

export async function workOnce(connection: StreamConnection, options: WorkerOptions): Promise<number> {
  const { stream, group, consumer, store, claimIdleMs, deadLetterStream } = options;
  const batch = options.batch ?? 10;
  const maxDeliveries = options.maxDeliveries ?? 5;

  await connection.createGroup(stream, group, { from: 'start' });
  const claimed = await connection.claimIdle<Deposit>(stream, group, consumer, { minIdleMs: claimIdleMs, count: batch });
  // a pass handles at most `batch` entries: read only what the claim left room for
  const fresh = await connection.readGroup<Deposit>(stream, group, consumer, { count: batch - claimed.length });
  const entries: GroupEntry<Deposit>[] = [...claimed, ...fresh];

  for (const entry of entries) {
    if (entry.deliveries > maxDeliveries) {
      const letter: DeadLetter = { entryId: entry.id, deposit: entry.body, deliveries: entry.deliveries };
      await connection.append(deadLetterStream, letter);
      await connection.ack(stream, group, [entry.id]);
      continue;
    }
    try {
      await store.apply(entry.id, entry.body); // true: applied now; false: applied before
    } catch {
      continue; // not acked: it stays pending and is claimed again once idle
    }
    await connection.ack(stream, group, [entry.id]);
  }
  return entries.length;
}
