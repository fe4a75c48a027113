/**
 * What only the hidden checks of exercise 11 use: the README's rules as a small executable model
 * (the referee), which judges every copy that arrives by the four cases of "Your task". Kept out of
 * the student release: it is close to a solution.
 */
import { at, playLossy, type LossyRun, type Watcher } from '../../exercises/11-ordered-receiver/harness';

/** What the README's rules make of one copy that arrives: the four cases of "Your task". */
type Case = 'expected' | 'early' | 'repeat of one handed on' | 'repeat of one held' | 'refused';

/** One copy that reached the receiver, as the rules judge it. */
interface Judged {
  from: string;
  seq: number;
  t: number;
  case: Case;
  /** Whether the sender's buffer was full when it arrived. */
  full: boolean;
}

/** A copy in words, for failure messages: "message 7 from a was held already and arrived again while the buffer was full". */
function told(judged: Judged, maxBuffered: number): string {
  const a = { ...judged, t: at(judged.t) };
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
 * being taken care of, the acks it sends, `buffered` afterwards), and stops the run at the first
 * thing that differs from what the rules ask, in words.
 */
export function referee(maxBuffered: number): Watcher {
  const streams = new Map<string, { next: number; held: Set<number> }>();
  const judged: Judged[] = [];
  /** Per sender, the copies whose ack is still to come, in the order they arrived. */
  const owed = new Map<string, Judged[]>();
  let current: { arrival: Judged; expected: number[]; handedOn: number[] } | undefined;
  const note = (text: string): void => {
    throw new Error(text);
  };
  const streamOf = (from: string) => {
    let stream = streams.get(from);
    if (!stream) streams.set(from, (stream = { next: 1, held: new Set() }));
    return stream;
  };
  return {
    arrive(from, seq, t) {
      const stream = streamOf(from);
      const full = stream.held.size >= maxBuffered;
      const kind: Case =
        seq === stream.next ? 'expected' : seq < stream.next ? 'repeat of one handed on' : stream.held.has(seq) ? 'repeat of one held' : full ? 'refused' : 'early';
      const arrival: Judged = { from, seq, t, case: kind, full };
      judged.push(arrival);
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
    handOn(from, seq) {
      if (current && from === current.arrival.from) current.handedOn.push(seq);
    },
    done(buffered) {
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
    send(to, payload, t) {
      const ack = (payload as { ack?: unknown } | undefined)?.ack;
      const waiting = owed.get(to) ?? [];
      if (typeof ack !== 'number') return;
      if (waiting[0]?.seq === ack) return void waiting.shift();
      const skipped = waiting.findIndex((a) => a.seq === ack);
      if (skipped > 0) return note(`${told(waiting[0], maxBuffered)}: ${SHOULD[waiting[0].case]}, but no ack was sent for it (the next ack was ${ack})`);
      const refused = judged.findLast((a) => a.from === to && a.seq === ack && a.case === 'refused');
      if (refused) return note(`${told(refused, maxBuffered)}: ${SHOULD.refused}, but it was acked`);
      return note(`the receiver sent { ack: ${ack} } to ${to} at t=${at(t)}, which answers no copy that arrived (item 4: one ack per copy, in the order the copies arrive)`);
    },
    end() {
      for (const waiting of owed.values()) {
        if (waiting.length > 0) return `${told(waiting[0], maxBuffered)}: ${SHOULD[waiting[0].case]}, but no ack was sent`;
      }
      return undefined;
    },
  };
}

/** {@link playLossy} with the referee: every copy that arrives is handled as the four cases of "Your task" say. */
export const playRefereed = (run: LossyRun): void => playLossy(run, referee);
