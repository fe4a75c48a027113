import { randomUUID } from 'node:crypto';
import type { StreamServer } from './types';

/** Options of {@link measureStreamThroughput}. */
export interface StreamThroughputOptions {
  /** How many entries to push through. */
  entries: number;
  /**
   * Pipelined: the producer keeps every append in flight at once and the consumer reads and acks
   * `batch` entries per round trip. Not pipelined: each append, read and ack waits for its reply
   * before the next is sent, one entry per read.
   */
  pipelined: boolean;
  /** Entries per read (and per ack) when pipelined. Default 100. */
  batch?: number;
}

/**
 * Appends `entries` entries to a fresh stream while one consumer of a group reads and acks them,
 * and returns the end-to-end rate in entries per second. The stream is deleted afterwards.
 */
export async function measureStreamThroughput(server: StreamServer, options: StreamThroughputOptions): Promise<number> {
  const producer = await server.connect();
  const consumer = await server.connect();
  const stream = `workbook-measure-${randomUUID()}`;
  const batch = options.pipelined ? (options.batch ?? 100) : 1;
  try {
    await producer.createGroup(stream, 'measure');
    const started = performance.now();
    const consumed = (async () => {
      for (let received = 0; received < options.entries; ) {
        const entries = await consumer.readGroup(stream, 'measure', 'consumer', { count: batch, blockMs: 1000 });
        if (options.pipelined) await consumer.ack(stream, 'measure', entries.map((e) => e.id));
        else for (const entry of entries) await consumer.ack(stream, 'measure', [entry.id]);
        received += entries.length;
      }
    })();
    const appends: Promise<string>[] = [];
    for (let i = 0; i < options.entries; i++) {
      const appended = producer.append(stream, { n: i });
      if (options.pipelined) appends.push(appended);
      else await appended;
    }
    await Promise.all(appends);
    await consumed;
    return options.entries / ((performance.now() - started) / 1000);
  } finally {
    await producer.deleteStream(stream);
    await producer.close();
    await consumer.close();
  }
}
