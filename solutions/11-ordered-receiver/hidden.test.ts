/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/11-ordered-receiver/checks.test.ts) of exercise 11, an ordered receiver, on netsim. Your OrderedReceiver runs on node
 * "receiver"; the checks' senders send `{ seq, body }` and listen for your `{ ack }`.
 */
import { describe, expect, it } from 'vitest';
import { uniform } from '../../toolkit/netsim';
import { LIMIT, lossyRuns, lossySteps, upTo, world } from '../../exercises/11-ordered-receiver/harness';
import { playRefereed, referee } from './hidden-harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

describe('OrderedReceiver', () => {
  it('[5] holds 16 early messages by default', () => {
    const { net, receiver, acks, send } = world();
    for (let seq = 2; seq <= 20; seq++) send('a', seq, seq);
    net.runUntilIdle(LIMIT);
    expect(receiver.buffered).toBe(16);
    expect(acks.get('a'), 'messages 2..17 fit, 18..20 are refused').toEqual(upTo(17).slice(1));
  });

  it('[4] acks every repeat of a held message while the buffers of two senders are full', () => {
    const { net, acks, send, followsTheRules } = world({ maxBuffered: 1, senders: ['a', 'b'], strict: true, watch: referee(1) });
    [
      ['a', 3],
      ['b', 2],
      ['a', 3],
      ['b', 2],
      ['a', 4],
      ['b', 2],
      ['a', 3],
    ].forEach(([from, seq], i) => send(from as string, seq as number, i));
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(acks.get('a'), 'a: 3 held, its repeats acked, 4 refused').toEqual([3, 3, 3]);
    expect(acks.get('b'), 'b: 2 held, its repeats acked').toEqual([2, 2, 2]);
  });

  it('[9] property: random senders, buffers and harsher faults; every arrival handled as the rules say (fast-check, 50 runs)', async () => {
    const runs = lossyRuns({ senders: 5, messages: 10, maxBuffered: 3, lossPercent: 50, duplicatePercent: 30, maxDelayMs: 150 });
    await holds(runs, playRefereed, { seed: 1011, numRuns: 50, steps: lossySteps });
  });

  it('[8] hands on every message exactly once and in order with 50% loss, 30% duplicates and long delays (40 more seeds)', () => {
    for (const seed of MORE_SEEDS) {
      const { net, receiver, stream, seqsOf, mostBuffered } = world({ seed, maxBuffered: 3, faults: { loss: 0.5, duplicate: 0.3, delay: uniform(1, 150) } });
      stream('a', 30, { everyMs: 0, retransmitMs: 40 });
      net.runUntilIdle(LIMIT);
      expect(seqsOf('a'), `seed ${seed}: what was handed on`).toEqual(upTo(30));
      expect(mostBuffered(), `seed ${seed}: held more than maxBuffered (3)`).toBeLessThanOrEqual(3);
      expect(receiver.buffered, `seed ${seed}: held at the end`).toBe(0);
    }
  });

  it('[8] keeps five senders apart with a buffer of 1 each, under the same faults (20 more seeds)', () => {
    const senders = ['a', 'b', 'c', 'd', 'e'];
    for (const seed of MORE_SEEDS.slice(0, 20)) {
      const { net, stream, seqsOf, mostBuffered } = world({ seed, senders, maxBuffered: 1, faults: { loss: 0.5, duplicate: 0.3, delay: uniform(1, 150) } });
      for (const id of senders) stream(id, 15, { everyMs: 0 });
      net.runUntilIdle(LIMIT);
      for (const id of senders) expect(seqsOf(id), `seed ${seed}: what was handed on from ${id}`).toEqual(upTo(15));
      expect(mostBuffered(), `seed ${seed}: held more than 1 per sender`).toBeLessThanOrEqual(5);
    }
  });
});

canaries();
