/**
 * Hidden checks of exercise 17 (kept by the instructor, used for the final grade; the public ones
 * are in exercises/17-causal-delivery/checks.test.ts): harsher cases of the same README items.
 */
import { describe, expect, it } from 'vitest';
import { groupRuns, groupSteps, LIMIT, playGroup, world, type GroupRun } from '../../exercises/17-causal-delivery/harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

/** More seeds than the public checks use, none of them the same. */
const MORE_SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i);
const HARSH: Omit<GroupRun, 'seed'> = { nodes: 5, messages: 4, answerPercent: 30, maxBuffered: 2, lossPercent: 50, duplicatePercent: 30, maxDelayMs: 150, partitionMs: 0, partitionAt: 0 };

describe('CausalBroadcast', () => {
  it('[7] holds 16 messages by default', () => {
    const { net, layer, send, acksAt } = world({ puppets: ['a', 'b'] });
    for (let seq = 2; seq <= 20; seq++) send('a', { a: seq }, { at: seq });
    net.advance(40);
    expect(layer().buffered).toBe(16);
    expect(acksAt('a'), 'a#2 to a#17 fit, a#18 to a#20 are refused').toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
  });

  it('[3] delivers a long chain across three senders, arriving backwards, each once it is deliverable', () => {
    const { net, send, ids, followsTheRules } = world({ puppets: ['a', 'b', 'c'], strict: true });
    const chain: Record<string, number>[] = [{ a: 1 }, { a: 1, b: 1 }, { a: 1, b: 1, c: 1 }, { a: 2, b: 1, c: 1 }, { a: 2, b: 2, c: 1 }, { a: 2, b: 2, c: 2 }];
    const senders = ['a', 'b', 'c', 'a', 'b', 'c'];
    chain.forEach((vc, i) => send(senders[i], vc, { at: 10 * (chain.length - i) }));
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(ids()).toEqual(['a#1', 'b#1', 'c#1', 'a#2', 'b#2', 'c#2']);
  });

  it('[6] retransmits each of several messages to each member separately until that member acks it', () => {
    const { net, broadcast, ack, copiesAt, followsTheRules } = world({ puppets: ['a', 'b'], retransmitMs: 30 });
    broadcast('x', 'one', 0);
    broadcast('x', 'two', 10);
    ack('a', 2, { at: 20 });
    ack('b', 1, { at: 40 });
    ack('a', 1, { at: 70 });
    ack('b', 2, { at: 100 });
    net.runUntilIdle(LIMIT);
    followsTheRules();
    expect(copiesAt('a').map((c) => `${c.seq}@${c.t}`)).toEqual(['1@5', '2@15', '1@35', '1@65']);
    expect(copiesAt('b').map((c) => `${c.seq}@${c.t}`)).toEqual(['1@5', '2@15', '1@35', '2@45', '2@75', '2@105']);
  });

  it('[8] delivers every message everywhere, once and in causal order, with 50% loss, 30% duplicates and long delays (5 nodes, 15 more seeds)', () => {
    for (const seed of MORE_SEEDS.slice(5)) playGroup({ ...HARSH, seed }, 8);
  });

  it('[9] catches up after longer partitions under harsher faults (15 more seeds)', () => {
    for (const seed of MORE_SEEDS.slice(0, 15)) playGroup({ ...HARSH, nodes: 4, lossPercent: 30, seed, partitionAt: 50 + seed % 200, partitionMs: 800 }, 9);
  });

  it('[10] property: larger groups, smaller buffers and harsher faults (fast-check, 50 runs)', async () => {
    const runs = groupRuns({ nodes: 5, messages: 5, answerPercent: 50, maxBuffered: 2, lossPercent: 50, duplicatePercent: 30, maxDelayMs: 150, partitionMs: 1_000 });
    await holds(runs, (run) => playGroup(run, 10), { seed: 1017, numRuns: 50, steps: groupSteps });
  });
});

canaries();
