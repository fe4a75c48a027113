/**
 * What the public and hidden checks of exercise 11 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import { Network, type LinkFaults } from '../../toolkit/netsim';
import { traced } from '../../checker/shared/netsim-trace';

type ReceiverModule = typeof import('@submission/11-ordered-receiver/ordered-receiver');
type Delivery = import('@submission/11-ordered-receiver/ordered-receiver').Delivery;
let receiving: ReceiverModule;

beforeEach(async () => {
  receiving = await import('@submission/11-ordered-receiver/ordered-receiver');
});

/** Guards every run: a receiver that never acks makes the senders retransmit until they stop. */
export const LIMIT = { maxEvents: 200_000 };
/** The checks' senders stop retransmitting this long after they started (virtual ms). */
const SENDERS_GIVE_UP_MS = 10_000;

/** A delivery as the checks record it: what your receiver handed on, and when. */
export type Recorded = Delivery & { t: number };

/** Sender nodes (default just "a") and node "receiver" running your OrderedReceiver. */
export function world(options: { seed?: number; faults?: LinkFaults; maxBuffered?: number; senders?: string[] } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const senders = options.senders ?? ['a'];
  const deliveries: Recorded[] = [];
  /** The acks each sender received, in order. */
  const acks = new Map<string, number[]>(senders.map((id) => [id, []]));
  /** Per sender, the numbers still waiting for an ack (when it streams with retransmission). */
  const unacked = new Map<string, Set<number>>(senders.map((id) => [id, new Set()]));
  let mostBuffered = 0;
  const options_ = options.maxBuffered === undefined ? undefined : { maxBuffered: options.maxBuffered };
  const receiver = new receiving.OrderedReceiver(
    net.addNode('receiver'),
    (delivery) => {
      deliveries.push({ ...delivery, t: net.now() });
      mostBuffered = Math.max(mostBuffered, receiver.buffered);
    },
    options_,
  );
  for (const id of senders) {
    net.addNode(id, (m) => {
      const { ack } = m.payload as { ack: number };
      acks.get(id)?.push(ack);
      unacked.get(id)?.delete(ack);
      mostBuffered = Math.max(mostBuffered, receiver.buffered);
    });
  }

  /** Sender `from` puts message `seq` on the wire at virtual time `at`, once. */
  const send = (from: string, seq: number, at = 0) => net.clock.setTimeout(() => net.send(from, 'receiver', { seq, body: `${from}:${seq}` }), at);

  /**
   * Sender `from` sends messages 1..count, one every `everyMs`, and sends each again every
   * `retransmitMs` until its ack comes (selective repeat), for at most 10 s (the checks need under 3 s).
   */
  const stream = (from: string, count: number, { everyMs = 1, retransmitMs = 50 } = {}) => {
    const waiting = unacked.get(from) as Set<number>;
    const transmit = (seq: number, startedAt: number) => {
      if (!waiting.has(seq) || net.now() - startedAt > SENDERS_GIVE_UP_MS) return;
      net.send(from, 'receiver', { seq, body: `${from}:${seq}` });
      net.clock.setTimeout(() => transmit(seq, startedAt), retransmitMs);
    };
    for (let seq = 1; seq <= count; seq++) {
      net.clock.setTimeout(() => {
        waiting.add(seq);
        transmit(seq, net.now());
      }, (seq - 1) * everyMs);
    }
  };

  /** The sequence numbers handed on for sender `from`, in the order they were handed on. */
  const seqsOf = (from: string) => deliveries.filter((d) => d.from === from).map((d) => d.seq);
  return { net, receiver, deliveries, acks, unacked, send, stream, seqsOf, mostBuffered: () => mostBuffered };
}

/** 1, 2, ..., n. */
export const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
