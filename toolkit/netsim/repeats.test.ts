import { describe, expect, it } from 'vitest';
import { Network, fixed } from './index';
import { shapeOf, shortenRepeats } from './repeats';

describe('shortenRepeats', () => {
  const same = (x: string) => x.replace(/\d+/g, '#');

  it('keeps the first and last occurrence of a long run of one pattern, and says what it left out', () => {
    const beats = Array.from({ length: 6 }, (_, k) => [`ping ${k}`, `pong ${k}`]).flat();
    expect(shortenRepeats(['start', ...beats, 'end'], same)).toEqual([
      { kind: 'item', item: 'start' },
      { kind: 'repeats', first: ['ping 0', 'pong 0'], omitted: ['ping 1', 'pong 1', 'ping 2', 'pong 2', 'ping 3', 'pong 3', 'ping 4', 'pong 4'], times: 4, last: ['ping 5', 'pong 5'] },
      { kind: 'item', item: 'end' },
    ]);
  });

  it('leaves a run shorter than atLeast as it is, and every item of a sequence without repeats', () => {
    expect(shortenRepeats(['a 1', 'a 2', 'a 3'], same)).toEqual(['a 1', 'a 2', 'a 3'].map((item) => ({ kind: 'item', item })));
    expect(shortenRepeats(['a', 'b', 'c', 'd'], same).map((s) => s.kind)).toEqual(['item', 'item', 'item', 'item']);
    expect(shortenRepeats(['a 1', 'a 2', 'a 3'], same, 3)[0]).toMatchObject({ kind: 'repeats', times: 1 });
  });

  it('loses no item: the stretches hold the sequence in order', () => {
    const items = ['x', ...Array.from({ length: 9 }, (_, k) => `hb ${k}`), 'y', 'z', 'y', 'z', 'y', 'z', 'y', 'z', 'w'];
    const back = shortenRepeats(items, same).flatMap((s) => (s.kind === 'item' ? [s.item] : [...s.first, ...s.omitted, ...s.last]));
    expect(back).toEqual(items);
  });

  it('sees payloads that differ only in numbers as alike', () => {
    expect(shapeOf('{"seq":17,"at":1.5}')).toBe(shapeOf('{"seq":18,"at":-2}'));
    expect(shapeOf('{"seq":17}')).not.toBe(shapeOf('{"ack":17}'));
  });
});

describe('toMermaid with shortenRepeats', () => {
  it('draws a run of heartbeats as its first and last beat and a note with the count and the span', () => {
    const net = new Network({ faults: { delay: fixed(1) } });
    net.addNode('worker');
    net.addNode('detector');
    for (let k = 0; k < 10; k++) {
      net.send('worker', 'detector', { beat: k });
      net.advance(100);
    }
    net.send('detector', 'worker', 'are you there?');
    net.runUntilIdle();
    expect(net.toMermaid({ shortenRepeats: true }).split('\n')).toEqual([
      'sequenceDiagram',
      '  participant worker as worker',
      '  participant detector as detector',
      '  worker->>detector: t=1 {"beat":0}',
      '  Note over worker,detector: … the same 8 more times, t=101 to t=801 …',
      '  worker->>detector: t=901 {"beat":9}',
      '  detector->>worker: t=1001 are you there?',
    ]);
    expect(net.toMermaid().split('\n')).toHaveLength(3 + 11);
  });
});
