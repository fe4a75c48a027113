/**
 * What the public and hidden checks of exercise 11 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import fc from 'fast-check';
import { Network, uniform, type LinkFaults, type MessageHandler } from '../../toolkit/netsim';
import { brokeAt, traced } from '../../checker/shared/netsim-trace';

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

/**
 * What watches your receiver during a run: every copy arriving at node "receiver" (before your
 * handler runs), what your receiver hands on meanwhile, `buffered` once the handler returned, and
 * everything it sends. A watcher records the first thing that breaks the README's rules, in words.
 */
export interface Watcher {
  arrive(from: string, seq: number, t: number): void;
  handOn(from: string, seq: number, t: number): void;
  done(buffered: number): void;
  send(to: string, payload: unknown, t: number): void;
  /** The run is over: the first thing that broke the rules, if any. */
  end(): string | undefined;
}

/** Times in failure messages, to a tenth of a millisecond. */
export const at = (t: number) => Math.round(t * 10) / 10;

/**
 * What the README says of every moment of a run, whatever arrives: each sender's messages are
 * handed on in order, each once, and only while a copy from that sender is being taken care of;
 * no more than `maxBuffered` per sender are held; the only answer is `{ ack: seq }`, one per copy
 * that arrived. `strict`: the run stops at the first problem (what follows explains nothing).
 */
function invariants(maxBuffered: number, senders: number, strict: boolean): Watcher {
  /** Per sender, the last number handed on. */
  const handedOn = new Map<string, number>();
  /** Per sender and number ("a3"), the copies that arrived and the acks sent for them. */
  const copies = new Map<string, number>();
  const acks = new Map<string, number>();
  let current: { from: string; seq: number; t: number } | undefined;
  let first: string | undefined;
  /** A rule broken at `t` (`what`, in a few words): the first is what the run reports, and where its trace is drawn. */
  const broken = (text: string, t: number, what: string): void => {
    if (first === undefined) brokeAt(t, what);
    first ??= text;
    if (strict) throw new Error(first);
  };
  return {
    arrive(from, seq, t) {
      current = { from, seq, t };
      copies.set(`${from}${seq}`, (copies.get(`${from}${seq}`) ?? 0) + 1);
    },
    handOn(from, seq, t) {
      if (current?.from !== from) {
        const when = current ? `while message ${current.seq} from ${current.from} was arriving` : 'when no message was arriving';
        broken(`message ${seq} from ${from} was handed on at t=${at(t)}, ${when}: a message is handed on at once, when it or the message that fills the gap before it arrives (items 1, 2, 7)`, t, `${from}${seq} handed on out of turn`);
      }
      const last = handedOn.get(from) ?? 0;
      if (seq !== last + 1) {
        broken(`message ${seq} from ${from} was handed on at t=${at(t)}, after ${last === 0 ? 'none' : `message ${last}`} of ${from}'s: each sender's messages are handed on in order from 1, each once (items 2, 3, 7)`, t, `${from}${seq} handed on after ${last === 0 ? `none of ${from}'s` : `${from}${last}`}`);
      }
      handedOn.set(from, Math.max(last, seq));
    },
    done(buffered) {
      const arrival = current;
      current = undefined;
      if (arrival && buffered > maxBuffered * senders) {
        broken(`after message ${arrival.seq} from ${arrival.from} arrived at t=${at(arrival.t)}, buffered says ${buffered}: more than maxBuffered (${maxBuffered}) for each of the ${senders} ${senders === 1 ? 'sender' : 'senders'} (item 5)`, arrival.t, `buffered ${buffered}`);
      }
    },
    send(to, payload, t) {
      const ack = (payload as { ack?: unknown } | undefined)?.ack;
      if (typeof ack !== 'number') return broken(`the receiver sent ${JSON.stringify(payload)} to ${to} at t=${at(t)}; its only answer is { ack: seq } (item 4)`, t, `not an ack sent to ${to}`);
      const key = `${to}${ack}`;
      const sent = (acks.get(key) ?? 0) + 1;
      acks.set(key, sent);
      if (sent > (copies.get(key) ?? 0)) {
        broken(`the receiver sent { ack: ${ack} } to ${to} at t=${at(t)}, its ack number ${sent} for message ${ack} of ${to}, of which ${copies.get(key) ?? 0} ${copies.get(key) === 1 ? 'copy' : 'copies'} arrived: one ack per copy (item 4)`, t, `ack ${sent} for ${to}${ack}`);
      }
    },
    end: () => first,
  };
}

/** A copy that reached the receiver: "a3" is message 3 from a. */
export interface Arrival {
  from: string;
  seq: number;
  t: number;
}

/** What onDeliver throws for a message of `failOnce` (see {@link world}), the first time it gets it. */
export const HAND_ON_FAILED = 'the checks’ onDeliver failed to take this message';

/**
 * Runs `net` until idle, through the failures of onDeliver that the receiver lets pass (it may
 * also catch them); any other error is thrown.
 */
export function runThroughFailures(net: Network): void {
  for (;;) {
    try {
      net.runUntilIdle(LIMIT);
      return;
    } catch (error) {
      if ((error as Error).message !== HAND_ON_FAILED) throw error;
    }
  }
}

/**
 * Sender nodes (default just "a") and node "receiver" running your OrderedReceiver, watched for the
 * README's rules (the invariants above, and `watch`, a watcher of the caller's, too); `strict`: the
 * run stops at the first problem (else it is only recorded, for `followsTheRules`). Each message
 * your receiver hands on is marked in the run's trace, over the receiver ("hands on a3"). `failOnce`:
 * messages ("a1" is message 1 from a) for which onDeliver throws {@link HAND_ON_FAILED} the first
 * time it is called, without taking them.
 */
export function world(options: { seed?: number; faults?: LinkFaults; maxBuffered?: number; senders?: string[]; strict?: boolean; watch?: Watcher; failOnce?: string[] } = {}) {
  const seed = options.seed ?? 1;
  const net = traced(new Network({ seed, faults: options.faults ?? { delay: 5 } }), seed);
  const senders = options.senders ?? ['a'];
  const deliveries: Recorded[] = [];
  const arrivals: Arrival[] = [];
  /** The acks each sender received, in order. */
  const acks = new Map<string, number[]>(senders.map((id) => [id, []]));
  /** Per sender, the numbers still waiting for an ack (when it streams with retransmission). */
  const unacked = new Map<string, Set<number>>(senders.map((id) => [id, new Set()]));
  let mostBuffered = 0;
  const options_ = options.maxBuffered === undefined ? undefined : { maxBuffered: options.maxBuffered };
  /** Messages ("a1") whose first hand-on fails: onDeliver throws instead of taking them. */
  const failing = new Set(options.failOnce);
  const watchers = [invariants(options.maxBuffered ?? 16, senders.length, options.strict ?? false), ...(options.watch ? [options.watch] : [])];
  // The watchers see what the receiver's endpoint sees and sends, without changing any of it.
  const endpoint = net.addNode('receiver');
  const send = endpoint.send.bind(endpoint);
  const onMessage = endpoint.onMessage.bind(endpoint);
  endpoint.send = (to: string, payload: unknown) => {
    for (const w of watchers) w.send(to, payload, net.now());
    send(to, payload);
  };
  endpoint.onMessage = <T>(handler: MessageHandler<T>) =>
    onMessage<T>((message) => {
      const { seq } = message.payload as { seq: number };
      arrivals.push({ from: message.from, seq, t: net.now() });
      for (const w of watchers) w.arrive(message.from, seq, net.now());
      handler(message);
      for (const w of watchers) w.done(receiver.buffered);
    });
  const receiver = new receiving.OrderedReceiver(
    endpoint,
    (delivery) => {
      if (failing.delete(`${delivery.from}${delivery.seq}`)) throw new Error(HAND_ON_FAILED);
      net.note('receiver', `hands on ${delivery.from}${delivery.seq}`);
      for (const w of watchers) w.handOn(delivery.from, delivery.seq, net.now());
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
  const sendAt = (from: string, seq: number, at = 0) => net.clock.setTimeout(() => net.send(from, 'receiver', { seq, body: `${from}:${seq}` }), at);

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
  /**
   * Throws, in words, the first thing the receiver did that the watchers saw break the README's
   * rules, in the run so far; call it once the run is over.
   */
  const followsTheRules = () => {
    const problem = watchers.map((w) => w.end()).find((p) => p !== undefined);
    if (problem) throw new Error(problem);
  };
  return { net, receiver, deliveries, acks, unacked, send: sendAt, stream, seqsOf, mostBuffered: () => mostBuffered, arrivals, followsTheRules };
}

/** 1, 2, ..., n. */
export const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A lossy run for the property checks: senders, messages, buffer and faults, all drawn by fast-check. */
export interface LossyRun {
  /** netsim's seed: which messages are lost, copied and delayed how long. */
  seed: number;
  senders: number;
  messages: number;
  maxBuffered: number;
  lossPercent: number;
  duplicatePercent: number;
  maxDelayMs: number;
}

/** Lossy runs of up to `most.senders` senders and `most.messages` messages each (small ones when shrunk). */
export const lossyRuns = (most: { senders: number; messages: number; maxBuffered: number; lossPercent: number; duplicatePercent: number; maxDelayMs: number }): fc.Arbitrary<LossyRun> =>
  fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    senders: fc.integer({ min: 1, max: most.senders }),
    messages: fc.integer({ min: 1, max: most.messages }),
    maxBuffered: fc.integer({ min: 1, max: most.maxBuffered }),
    lossPercent: fc.integer({ min: 0, max: most.lossPercent }),
    duplicatePercent: fc.integer({ min: 0, max: most.duplicatePercent }),
    maxDelayMs: fc.integer({ min: 1, max: most.maxDelayMs }),
  });

const SENDER_NAMES = ['a', 'b', 'c', 'd', 'e'];
/** What reached the receiver in the last lossy run played, for the words of a failure. */
let lastArrivals: string[] = [];

/**
 * Plays a lossy run with retransmitting senders and throws, in words, the first thing that breaks
 * the README's rules: what the receiver did at a moment of the run (the invariants, and what
 * `watch`, made for the run's maxBuffered, saw), a sender's messages not handed on exactly once and
 * in order, a message never acked, a message still held at the end.
 */
export function playLossy(run: LossyRun, watch?: (maxBuffered: number) => Watcher): void {
  const senders = SENDER_NAMES.slice(0, run.senders);
  const { net, receiver, stream, seqsOf, unacked, arrivals, followsTheRules } = world({
    seed: run.seed,
    senders,
    maxBuffered: run.maxBuffered,
    strict: true,
    watch: watch?.(run.maxBuffered),
    faults: { loss: run.lossPercent / 100, duplicate: run.duplicatePercent / 100, delay: uniform(1, run.maxDelayMs) },
  });
  for (const id of senders) stream(id, run.messages);
  try {
    net.runUntilIdle(LIMIT);
  } finally {
    lastArrivals = arrivals.map((a) => `${a.from}${a.seq}`);
  }
  followsTheRules();
  for (const id of senders) {
    const got = seqsOf(id);
    if (got.join() !== upTo(run.messages).join()) {
      throw new Error(`${id}'s messages were handed on as [${got.join(', ')}], not 1 to ${run.messages}, each once and in order (items 2, 3, 9)`);
    }
    const never = [...(unacked.get(id) ?? [])];
    if (never.length > 0) throw new Error(`message ${never[0]} from ${id} was never acked, although its sender kept sending it (items 4, 9)`);
  }
  if (receiver.buffered !== 0) throw new Error(`${receiver.buffered} messages are still held at the end of the run, with every message handed on (item 9)`);
}

/** A lossy run in words: the steps of a failure's smallest run. */
export function lossySteps(run: LossyRun): string[] {
  const senders = SENDER_NAMES.slice(0, run.senders).join(', ');
  const shown = lastArrivals.slice(0, 16).join(' ') + (lastArrivals.length > 16 ? ` … (${lastArrivals.length} copies)` : '');
  return [
    `${senders} send${run.senders > 1 ? '' : 's'} 1 to ${run.messages}, resending every 50 ms until acked`,
    `maxBuffered ${run.maxBuffered}`,
    `${run.lossPercent}% loss both ways, ${run.duplicatePercent}% copies, delays 1 to ${run.maxDelayMs} ms (netsim seed ${run.seed})`,
    `arrivals: ${shown}`,
  ];
}
