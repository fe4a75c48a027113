/**
 * What the public and hidden checks of exercise 11 share; see checks.test.ts beside it.
 */
import { beforeEach } from 'vitest';
import fc from 'fast-check';
import { Network, uniform, type LinkFaults, type MessageHandler } from '../../toolkit/netsim';
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

/** What the README's rules make of one copy that arrives: the four cases of "Your task". */
type Case = 'expected' | 'early' | 'repeat of one handed on' | 'repeat of one held' | 'refused';

/** One copy that reached the receiver, as the rules judge it. */
interface Arrival {
  from: string;
  seq: number;
  t: number;
  case: Case;
  /** Whether the sender's buffer was full when it arrived. */
  full: boolean;
}

/** A copy in words, for failure messages: "message 7 from a was held already and arrived again while the buffer was full". */
function told(arrival: Arrival, maxBuffered: number): string {
  const a = { ...arrival, t: Math.round(arrival.t * 10) / 10 };
  const full = a.full ? ` while ${a.from}'s buffer was full (maxBuffered ${maxBuffered})` : '';
  switch (a.case) {
    case 'expected':
      return `message ${a.seq} from ${a.from} arrived at t=${a.t} and was the one expected${full}`;
    case 'early':
      return `message ${a.seq} from ${a.from} arrived early at t=${a.t} with room in the buffer`;
    case 'repeat of one handed on':
      return `message ${a.seq} from ${a.from} was handed on already and arrived again at t=${a.t}${full}`;
    case 'repeat of one held':
      return `message ${a.seq} from ${a.from} was held already and arrived again at t=${a.t}${full}`;
    case 'refused':
      return `message ${a.seq} from ${a.from} arrived early at t=${a.t}${full}`;
  }
}

/** What the rules ask for each case: whether it is acked, and the item that says so. */
const SHOULD: Record<Case, string> = {
  expected: 'it should be handed on and acked (items 1, 4)',
  early: 'it should be held and acked (items 2, 4)',
  'repeat of one handed on': 'it should be acked again (item 4)',
  'repeat of one held': 'it should be acked again (item 4)',
  refused: 'it should be refused, neither held nor acked nor handed on (item 5)',
};

/**
 * The README's rules as a small executable model, run beside your receiver: it watches every copy
 * arriving at node "receiver" and everything your receiver does (what it hands on while the copy is
 * being taken care of, the acks it sends, `buffered` afterwards), and records the first thing that
 * differs from what the rules ask, in words.
 */
function referee(maxBuffered: number, strict: boolean) {
  const streams = new Map<string, { next: number; held: Set<number> }>();
  const arrivals: Arrival[] = [];
  /** Per sender, the copies whose ack is still to come, in the order they arrived. */
  const owed = new Map<string, Arrival[]>();
  let current: { arrival: Arrival; expected: number[]; handedOn: number[] } | undefined;
  let first: string | undefined;
  /** Records the first difference; a strict referee also stops the run there (what follows explains nothing). */
  const note = (text: string): void => {
    first ??= text;
    if (strict) throw new Error(first);
  };
  const streamOf = (from: string) => {
    let stream = streams.get(from);
    if (!stream) streams.set(from, (stream = { next: 1, held: new Set() }));
    return stream;
  };
  return {
    arrivals,
    /** The first difference from the rules, if any. */
    violation: () => first,
    /** A copy arrives, before your receiver's handler runs. */
    arrive(from: string, seq: number, t: number) {
      const stream = streamOf(from);
      const full = stream.held.size >= maxBuffered;
      const kind: Case =
        seq === stream.next ? 'expected' : seq < stream.next ? 'repeat of one handed on' : stream.held.has(seq) ? 'repeat of one held' : full ? 'refused' : 'early';
      const arrival: Arrival = { from, seq, t, case: kind, full };
      arrivals.push(arrival);
      const expected: number[] = [];
      if (kind === 'expected') {
        stream.held.add(seq);
        while (stream.held.delete(stream.next)) expected.push(stream.next++);
      } else if (kind === 'early') {
        stream.held.add(seq);
      }
      if (kind !== 'refused') owed.set(from, [...(owed.get(from) ?? []), arrival]);
      current = { arrival, expected, handedOn: [] };
    },
    /** Your receiver handed `seq` of `from` on. */
    handOn(from: string, seq: number, time: number) {
      const t = Math.round(time * 10) / 10;
      if (!current) return note(`message ${seq} from ${from} was handed on at t=${t}, when no message was arriving: hand on at once, while the message that completes the run arrives (items 1, 2)`);
      if (from === current.arrival.from) current.handedOn.push(seq);
      else note(`${told(current.arrival, maxBuffered)}, but message ${seq} from ${from} was handed on then (item 7: each sender has its own sequence)`);
    },
    /** Your receiver's handler returned; `buffered` is what it reports now. */
    done(buffered: number) {
      if (!current) return;
      const { arrival, expected, handedOn } = current;
      current = undefined;
      if (handedOn.join() !== expected.join()) {
        const should = expected.length === 0 ? 'nothing should be handed on' : `${expected.length === 1 ? 'message' : 'messages'} ${expected.join(', ')} should be handed on at once`;
        const items = arrival.case === 'early' || arrival.case === 'refused' ? 'items 2, 5' : arrival.case === 'expected' ? 'items 1, 2' : 'item 3';
        note(`${told(arrival, maxBuffered)}: ${should} (${items}), but ${handedOn.length === 0 ? 'nothing was' : `${handedOn.join(', ')} ${handedOn.length === 1 ? 'was' : 'were'}`} handed on`);
      }
      let held = 0;
      for (const stream of streams.values()) held += stream.held.size;
      if (buffered !== held) note(`${told(arrival, maxBuffered)}; afterwards ${held} early ${held === 1 ? 'message is' : 'messages are'} held, but buffered says ${buffered} (item 2)`);
    },
    /** Your receiver sent `payload` to `to`. */
    send(to: string, payload: unknown, time: number) {
      const t = Math.round(time * 10) / 10;
      const ack = (payload as { ack?: unknown } | undefined)?.ack;
      const waiting = owed.get(to) ?? [];
      if (typeof ack !== 'number') return note(`the receiver sent ${JSON.stringify(payload)} to ${to} at t=${t}; its only answer is { ack: seq } (item 4)`);
      if (waiting[0]?.seq === ack) return void waiting.shift();
      const skipped = waiting.findIndex((a) => a.seq === ack);
      if (skipped > 0) return note(`${told(waiting[0], maxBuffered)}: ${SHOULD[waiting[0].case]}, but no ack was sent for it (the next ack was ${ack})`);
      const refused = arrivals.findLast((a) => a.from === to && a.seq === ack && a.case === 'refused');
      if (refused) return note(`${told(refused, maxBuffered)}: ${SHOULD.refused}, but it was acked`);
      return note(`the receiver sent { ack: ${ack} } to ${to} at t=${t}, which answers no copy that arrived (item 4: one ack per copy, in the order the copies arrive)`);
    },
    /** The run is over: every copy owed an ack must have had it. */
    end() {
      for (const waiting of owed.values()) {
        if (waiting.length > 0) note(`${told(waiting[0], maxBuffered)}: ${SHOULD[waiting[0].case]}, but no ack was sent`);
      }
      return first;
    },
  };
}

/**
 * Sender nodes (default just "a") and node "receiver" running your OrderedReceiver, refereed by the
 * README's rules; `strict`: the run stops at the first difference from them (else it is only
 * recorded, for `followsTheRules`).
 */
export function world(options: { seed?: number; faults?: LinkFaults; maxBuffered?: number; senders?: string[]; strict?: boolean } = {}) {
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
  const rules = referee(options.maxBuffered ?? 16, options.strict ?? false);
  // The referee sees what the receiver's endpoint sees and sends, without changing any of it.
  const endpoint = net.addNode('receiver');
  const send = endpoint.send.bind(endpoint);
  const onMessage = endpoint.onMessage.bind(endpoint);
  endpoint.send = (to: string, payload: unknown) => {
    rules.send(to, payload, net.now());
    send(to, payload);
  };
  endpoint.onMessage = <T>(handler: MessageHandler<T>) =>
    onMessage<T>((message) => {
      const { seq } = message.payload as { seq: number };
      rules.arrive(message.from, seq, net.now());
      handler(message);
      rules.done(receiver.buffered);
    });
  const receiver = new receiving.OrderedReceiver(
    endpoint,
    (delivery) => {
      rules.handOn(delivery.from, delivery.seq, net.now());
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
   * Throws, in words, the first thing the receiver did that the README's rules do not ask for (or
   * failed to do), in the run so far; call it once the run is over.
   */
  const followsTheRules = () => {
    const violation = rules.end();
    if (violation) throw new Error(violation);
  };
  return { net, receiver, deliveries, acks, unacked, send: sendAt, stream, seqsOf, mostBuffered: () => mostBuffered, arrivals: rules.arrivals, followsTheRules };
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
 * the README's rules: what the receiver did at an arrival (the referee), a sender's messages not
 * handed on exactly once and in order, a message never acked, a message still held at the end.
 */
export function playLossy(run: LossyRun): void {
  const senders = SENDER_NAMES.slice(0, run.senders);
  const { net, receiver, stream, seqsOf, unacked, arrivals, followsTheRules } = world({
    seed: run.seed,
    senders,
    maxBuffered: run.maxBuffered,
    strict: true,
    faults: { loss: run.lossPercent / 100, duplicate: run.duplicatePercent / 100, delay: uniform(1, run.maxDelayMs) },
  });
  for (const id of senders) stream(id, run.messages);
  net.runUntilIdle(LIMIT);
  lastArrivals = arrivals.map((a) => `${a.from}${a.seq}`);
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
