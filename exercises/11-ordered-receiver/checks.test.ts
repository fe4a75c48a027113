/**
 * Checks of exercise 11, an ordered receiver, on netsim: a simulated network in virtual time,
 * replayed exactly from its seed. Your OrderedReceiver runs on node "receiver"; the checks' senders
 * ("a", "b", ...) send `{ seq, body }` and listen for your `{ ack }`.
 */
import { describe, expect, it } from 'vitest';
import { uniform } from '../../toolkit/netsim';
import { LIMIT, at, lossyRuns, lossySteps, playLossy, runThroughFailures, upTo, world, type Watcher } from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('OrderedReceiver', () => {
  it('[1] hands on a message with the expected number at once, with from, seq and body', () => {
    const { net, deliveries, send } = world();
    send('a', 1, 0);
    send('a', 2, 1);
    send('a', 3, 2);
    net.runUntilIdle(LIMIT);
    expect(deliveries, 'in-order messages are handed on when they arrive (5 ms after they were sent)').toEqual([
      { from: 'a', seq: 1, body: 'a:1', t: 5 },
      { from: 'a', seq: 2, body: 'a:2', t: 6 },
      { from: 'a', seq: 3, body: 'a:3', t: 7 },
    ]);
  });

  it('[2] holds early messages and hands them on, in order, as soon as the gap before them fills', () => {
    const { net, receiver, deliveries, send } = world();
    send('a', 3, 0);
    send('a', 2, 1);
    send('a', 1, 10);
    net.advance(8);
    expect(deliveries, 'messages 2 and 3 arrived before 1: nothing may be handed on yet').toEqual([]);
    expect(receiver.buffered, 'buffered counts the messages held back').toBe(2);
    net.runUntilIdle(LIMIT);
    expect(deliveries.map((d) => [d.seq, d.t])).toEqual([
      [1, 15],
      [2, 15],
      [3, 15],
    ]);
    expect(receiver.buffered, 'nothing is held once the run is handed on').toBe(0);
  });

  it('[3] never hands on a repeat, whether of a message handed on or of one held', () => {
    const { net, deliveries, send } = world();
    [1, 1, 3, 3, 2, 2, 1, 3].forEach((seq, i) => send('a', seq, i));
    net.runUntilIdle(LIMIT);
    expect(deliveries.map((d) => d.seq)).toEqual([1, 2, 3]);
  });

  it('[4] acks every message it hands on, holds or recognises as a repeat, with its number', () => {
    const { net, acks, send } = world();
    [1, 3, 1, 3, 2].forEach((seq, i) => send('a', seq, i));
    net.runUntilIdle(LIMIT);
    expect(acks.get('a'), 'one { ack: seq } per copy received: a lost ack is made good by the next copy').toEqual([1, 3, 1, 3, 2]);
  });

  it('[4] acks a message it hands on only after handing it on', () => {
    /** The acks sent while the copy now arriving is taken care of, and what went wrong first. */
    let acked = new Set<string>();
    let problem: string | undefined;
    const watch: Watcher = {
      arrive: () => (acked = new Set()),
      handOn(from, seq, t) {
        if (acked.has(`${from}${seq}`)) problem ??= `the ack for message ${seq} of ${from} left at t=${at(t)} before the message was handed on: ack only after onDeliver has returned, or a hand-on that fails leaves an acked message lost`;
      },
      done: () => undefined,
      send(to, payload) {
        acked.add(`${to}${String((payload as { ack?: unknown } | undefined)?.ack)}`);
      },
      end: () => problem,
    };
    const { net, deliveries, send, followsTheRules } = world({ watch });
    [1, 3, 2].forEach((seq, i) => send('a', seq, i));
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(deliveries.map((d) => d.seq)).toEqual([1, 2, 3]);
  });

  it('[4] neither acks nor counts as handed on a message whose onDeliver threw: its next copy is handed on', () => {
    const { net, deliveries, acks, send, followsTheRules } = world({ failOnce: ['a1'] });
    send('a', 1, 0);
    send('a', 1, 10);
    send('a', 2, 20);
    runThroughFailures(net);
    followsTheRules();
    expect(
      deliveries.map((d) => [d.seq, d.t]),
      'onDeliver threw for the copy of message 1 that arrived at t=5, so message 1 was not handed on and is still the one expected: its next copy (t=15) must be handed on. A receiver that moves its expected number on before onDeliver has returned takes that copy for a repeat, and message 1 is lost',
    ).toEqual([
      [1, 15],
      [2, 25],
    ]);
    expect(acks.get('a'), 'the copy whose hand-on failed must not be acked; the next copy of 1 and message 2 are').toEqual([1, 2]);
  });

  it('[4] acks a repeat of a message it holds, even while the buffer is full', () => {
    const { net, acks, send, followsTheRules } = world({ maxBuffered: 2, strict: true });
    [2, 3, 3, 2].forEach((seq, i) => send('a', seq, i));
    send('a', 1, 10);
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(acks.get('a'), 'a repeat of a held message is acked whether or not the buffer has room').toEqual([2, 3, 3, 2, 1]);
  });

  it('[5] holds at most maxBuffered early messages and refuses the rest: neither held nor acked', () => {
    const { net, receiver, deliveries, acks, send } = world({ maxBuffered: 2 });
    [2, 3, 4, 5].forEach((seq, i) => send('a', seq, i));
    net.advance(20);
    expect(receiver.buffered, 'at most maxBuffered (2) early messages are held').toBe(2);
    expect(acks.get('a'), 'messages 4 and 5 did not fit: they must not be acked, so that the sender sends them again').toEqual([2, 3]);
    send('a', 1, 0);
    net.runUntilIdle(LIMIT);
    expect(deliveries.map((d) => d.seq), '4 and 5 were refused: they are not handed on until they come again').toEqual([1, 2, 3]);
  });

  it('[5] bounds the buffer per sender: one sender’s full buffer leaves another room', () => {
    const { net, receiver, acks, send, followsTheRules } = world({ maxBuffered: 2, senders: ['a', 'b'], strict: true });
    send('a', 2, 0);
    send('a', 3, 1);
    send('b', 2, 2);
    send('b', 3, 3);
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(acks.get('b'), 'a holds 2, its maxBuffered; b holds none of its own yet and has room for 2').toEqual([2, 3]);
    expect(receiver.buffered).toBe(4);
  });

  it('[6] accepts the expected message even when the buffer is full', () => {
    const { net, deliveries, send } = world({ maxBuffered: 2 });
    send('a', 2, 0);
    send('a', 3, 1);
    send('a', 1, 5);
    send('a', 4, 6);
    net.runUntilIdle(LIMIT);
    expect(deliveries.map((d) => d.seq), 'refusing the message the buffer waits for would block the sender for ever').toEqual([1, 2, 3, 4]);
  });

  it('[7] keeps a separate sequence for each sender, each starting at 1', () => {
    const { net, send, seqsOf } = world({ senders: ['a', 'b'] });
    send('a', 1, 0);
    send('b', 2, 1);
    send('a', 2, 2);
    send('b', 1, 3);
    net.runUntilIdle(LIMIT);
    expect(seqsOf('a')).toEqual([1, 2]);
    expect(seqsOf('b'), 'b numbers its messages from 1 too; its 2 waits for its own 1').toEqual([1, 2]);
  });

  it('[8] hands on every message exactly once and in order with 30% loss both ways, duplicates and reordering (20 seeds)', () => {
    for (const seed of SEEDS) {
      const { net, receiver, stream, seqsOf, unacked, mostBuffered } = world({
        seed,
        maxBuffered: 8,
        faults: { loss: 0.3, duplicate: 0.1, delay: uniform(1, 40) },
      });
      stream('a', 40);
      net.runUntilIdle(LIMIT);
      expect(seqsOf('a'), `seed ${seed}: what was handed on`).toEqual(upTo(40));
      expect(unacked.get('a')?.size, `seed ${seed}: messages the sender never saw acked`).toBe(0);
      expect(mostBuffered(), `seed ${seed}: held more than maxBuffered (8)`).toBeLessThanOrEqual(8);
      expect(receiver.buffered, `seed ${seed}: held at the end`).toBe(0);
    }
  });

  it('[9] property: random senders, buffers and faults; at every moment each sender’s messages handed on in order and once, the buffer within its bound, one ack per copy; at the end every message handed on and acked (fast-check, 25 runs)', async () => {
    const runs = lossyRuns({ senders: 3, messages: 12, maxBuffered: 4, lossPercent: 40, duplicatePercent: 20, maxDelayMs: 60 });
    await holds(runs, (run) => playLossy(run), { seed: 11, numRuns: 25, steps: lossySteps });
  });

  it('[8] keeps three senders apart over the same faults, with a buffer of 4 each (20 seeds)', () => {
    const senders = ['a', 'b', 'c'];
    for (const seed of SEEDS) {
      const { net, stream, seqsOf, mostBuffered } = world({ seed, senders, maxBuffered: 4, faults: { loss: 0.3, duplicate: 0.1, delay: uniform(1, 40) } });
      for (const id of senders) stream(id, 20);
      net.runUntilIdle(LIMIT);
      for (const id of senders) expect(seqsOf(id), `seed ${seed}: what was handed on from ${id}`).toEqual(upTo(20));
      expect(mostBuffered(), `seed ${seed}: held more than 4 per sender`).toBeLessThanOrEqual(12);
    }
  });
});

canaries();
