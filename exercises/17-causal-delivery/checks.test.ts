/**
 * Checks of exercise 17, causal delivery, on netsim: a simulated network in virtual time, replayed
 * exactly from its seed. Your CausalBroadcast runs on node "x" (or on every node of a group); the
 * checks play the other members ("a", "b") when they need to send exactly what a check says.
 */
import { describe, expect, it } from 'vitest';
import { groupRuns, groupSteps, LIMIT, playGroup, world, type GroupRun } from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const LOSSY: Omit<GroupRun, 'seed'> = { nodes: 3, messages: 6, answerPercent: 30, maxBuffered: 4, lossPercent: 30, duplicatePercent: 10, maxDelayMs: 40, partitionMs: 0, partitionAt: 0 };

describe('CausalBroadcast', () => {
  it('[1] delivers its own broadcast at once and sends it to every other member, stamped with its vector', () => {
    const { net, deliveries, copiesAt, broadcast, followsTheRules } = world({ puppets: ['a', 'b'] });
    broadcast('x', 'hello', 0);
    broadcast('x', 'again', 1);
    net.advance(10);
    followsTheRules({ idle: false });
    expect(deliveries.get('x'), 'x delivers its own messages when it broadcasts them, numbered 1, 2, ...').toEqual([
      { from: 'x', seq: 1, body: 'hello', t: 0 },
      { from: 'x', seq: 2, body: 'again', t: 1 },
    ]);
    for (const member of ['a', 'b']) {
      expect(copiesAt(member), `what reached ${member} (links take 5 ms)`).toEqual([
        { from: 'x', seq: 1, vc: { a: 0, b: 0, x: 1 }, body: 'hello', t: 5 },
        { from: 'x', seq: 2, vc: { a: 0, b: 0, x: 2 }, body: 'again', t: 6 },
      ]);
    }
  });

  it('[1] counts in the vector of a broadcast every message it has delivered', () => {
    const { net, send, copiesAt, broadcast } = world({ puppets: ['a', 'b'] });
    send('a', { a: 1 });
    send('a', { a: 2 }, { at: 1 });
    send('b', { a: 1, b: 1 }, { at: 2 });
    broadcast('x', 'after reading three', 20);
    net.advance(30);
    expect(copiesAt('b').map((c) => c.vc), 'x had delivered a#1, a#2 and b#1 when it broadcast').toEqual([{ a: 2, b: 1, x: 1 }]);
  });

  it('[2] delivers a message that is deliverable when it arrives at once, with from, seq and body', () => {
    const { net, deliveries, send, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    send('a', { a: 1 }, { body: 'question' });
    send('b', { a: 1, b: 1 }, { at: 10, body: 'answer' });
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(deliveries.get('x')).toEqual([
      { from: 'a', seq: 1, body: 'question', t: 5 },
      { from: 'b', seq: 1, body: 'answer', t: 15 },
    ]);
  });

  it('[2] delivers concurrent messages in the order they arrive, without waiting for one another', () => {
    const { net, send, ids } = world({ puppets: ['a', 'b'] });
    send('b', { b: 1 });
    send('a', { a: 1 }, { at: 1 });
    send('a', { a: 2 }, { at: 2 });
    send('b', { a: 1, b: 2 }, { at: 3 });
    net.runUntilIdle(LIMIT);
    expect(ids(), 'b#1 and a#1 are concurrent, and b#2 depends only on a#1 and b#1: each is deliverable when it arrives').toEqual(['b#1', 'a#1', 'a#2', 'b#2']);
  });

  it('[3] holds an answer until the message it answers is delivered', () => {
    const { net, layer, deliveries, send } = world({ puppets: ['a', 'b'] });
    send('b', { a: 1, b: 1 }, { body: 'yes!' });
    send('a', { a: 1 }, { at: 10, body: 'lunch at noon?' });
    net.advance(8);
    expect(deliveries.get('x'), "b#1 was sent after b had delivered a#1: it must wait for a#1").toEqual([]);
    expect(layer().buffered, 'buffered counts the message held').toBe(1);
    net.runUntilIdle(LIMIT);
    expect(deliveries.get('x')?.map((d) => [d.body, d.t]), 'a#1 arrives at 15: it is delivered, and then b#1 at once').toEqual([
      ['lunch at noon?', 15],
      ['yes!', 15],
    ]);
    expect(layer().buffered, 'nothing is held once both are delivered').toBe(0);
  });

  it("[3] holds a sender's later message until its earlier ones are delivered", () => {
    const { net, send, ids, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    send('a', { a: 3 });
    send('a', { a: 2 }, { at: 1 });
    send('a', { a: 1 }, { at: 10 });
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(ids(), 'a#2 and a#3 arrive before a#1').toEqual(['a#1', 'a#2', 'a#3']);
  });

  it('[3] delivers a whole chain of held messages the moment the message they wait for arrives', () => {
    const { net, layer, send, deliveries, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    send('b', { a: 2, b: 2 });
    send('a', { a: 2 }, { at: 1 });
    send('b', { a: 1, b: 1 }, { at: 2 });
    send('a', { a: 1 }, { at: 20 });
    net.advance(15);
    expect(layer().buffered, 'b#2, a#2 and b#1 all wait for a#1').toBe(3);
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(deliveries.get('x')?.map((d) => d.t), 'all four are delivered when a#1 arrives, at t=25').toEqual([25, 25, 25, 25]);
    expect(layer().buffered).toBe(0);
  });

  it('[4] never delivers a repeat, whether of a message delivered or of one held', () => {
    const { net, send, ids, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    [2, 2, 1, 1, 2, 3, 3].forEach((seq, i) => send('a', { a: seq }, { at: i }));
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(ids()).toEqual(['a#1', 'a#2', 'a#3']);
  });

  it('[5] acks every copy it delivers, holds or recognises as a repeat, with its number, in the order they arrive', () => {
    const { net, send, acksAt, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    [1, 1, 3, 3, 2].forEach((seq, i) => send('a', { a: seq }, { at: i }));
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(acksAt('a'), "one { kind: 'ack', seq } per copy: a lost ack is made good by the next copy").toEqual([1, 1, 3, 3, 2]);
  });

  it('[5] acks a repeat of a held message even while the buffer is full', () => {
    const { net, send, acksAt } = world({ puppets: ['a', 'b'], maxBuffered: 1 });
    [2, 3, 2].forEach((seq, i) => send('a', { a: seq }, { at: i }));
    send('a', { a: 1 }, { at: 10 });
    net.advance(40);
    expect(acksAt('a'), 'a#2 held (the buffer is full), a#3 refused, a#2 again: a repeat, acked; then a#1').toEqual([2, 2, 1]);
  });

  it('[6] sends a message again every retransmitMs (50 ms) to a member that has not acked it, and stops at its ack', () => {
    const { net, broadcast, ack, copiesAt, followsTheRules } = world({ puppets: ['a', 'b'], strict: true });
    broadcast('x', 'hello', 0);
    ack('b', 1, { at: 6 });
    ack('a', 1, { at: 170 });
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(copiesAt('a').map((c) => c.t), 'a acks only at t=170 (its ack arrives at 175): copies sent at 0, 50, 100 and 150').toEqual([5, 55, 105, 155]);
    expect(copiesAt('b').map((c) => c.t), "b's ack arrives at t=11: no copy after the first").toEqual([5]);
  });

  it('[6] uses retransmitMs from the options', () => {
    const { net, broadcast, ack, copiesAt } = world({ puppets: ['a'], retransmitMs: 20 });
    broadcast('x', 'hello', 0);
    ack('a', 1, { at: 50 });
    net.runUntilIdle(LIMIT);
    expect(copiesAt('a').map((c) => c.t), 'with retransmitMs 20: copies at 0, 20, 40, and none after the ack arrives at 55').toEqual([5, 25, 45]);
  });

  it('[7] holds at most maxBuffered messages over all senders, and refuses the rest: neither held, nor acked, nor delivered', () => {
    const { net, layer, send, acksAt, ids, followsTheRules } = world({ puppets: ['a', 'b'], maxBuffered: 2, strict: true });
    send('a', { a: 2 });
    send('a', { a: 3 }, { at: 1 });
    send('b', { b: 2 }, { at: 2 });
    net.advance(20);
    expect(layer().buffered, 'a#2 and a#3 fill the buffer (maxBuffered 2, over all senders)').toBe(2);
    expect(acksAt('b'), 'b#2 did not fit: no ack, so that b sends it again').toEqual([]);
    send('a', { a: 1 });
    send('b', { b: 1 }, { at: 10 });
    net.advance(30);
    expect(ids(), 'b#2 was refused: it is not delivered after b#1 until it comes again').toEqual(['a#1', 'a#2', 'a#3', 'b#1']);
    send('b', { b: 2 });
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(ids()).toEqual(['a#1', 'a#2', 'a#3', 'b#1', 'b#2']);
  });

  it('[7] accepts a message that is deliverable when it arrives even when the buffer is full', () => {
    const { net, send, ids, acksAt } = world({ puppets: ['a', 'b'], maxBuffered: 1 });
    send('a', { a: 3 });
    send('b', { b: 1 }, { at: 1 });
    net.runUntilIdle(LIMIT);
    expect(ids(), 'b#1 needs no room: it is delivered at once').toEqual(['b#1']);
    expect(acksAt('b'), 'and acked').toEqual([1]);
  });

  it('[8] delivers every message everywhere, once and in causal order, with 30% loss, duplicates and reordering (3 nodes, 20 seeds)', () => {
    for (const seed of SEEDS) playGroup({ ...LOSSY, seed }, 8);
  });

  it('[9] catches up after a partition heals: a node cut off for 300 ms delivers everything, in causal order (10 seeds)', () => {
    for (const seed of SEEDS.slice(0, 10)) playGroup({ ...LOSSY, lossPercent: 10, seed, partitionAt: 100, partitionMs: 300 }, 9);
  });

  it('[10] property: random groups, answers, buffers, faults and partitions; every rule at every copy, causal order everywhere, everything delivered (fast-check, 25 runs)', async () => {
    const runs = groupRuns({ nodes: 4, messages: 5, answerPercent: 40, maxBuffered: 4, lossPercent: 30, duplicatePercent: 20, maxDelayMs: 60, partitionMs: 400 });
    await holds(runs, (run) => playGroup(run, 10), { seed: 17, numRuns: 25, steps: groupSteps });
  });
});

canaries();
