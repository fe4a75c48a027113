import { describe, expect, it } from 'vitest';
import { Network, exponential, fixed, toMermaid, uniform, type TraceEvent } from './index';

/** A sender `a` and a receiver `b` that records what it gets. */
function pair(options: ConstructorParameters<typeof Network>[0] = {}) {
  const net = new Network(options);
  const received: unknown[] = [];
  net.addNode('a');
  net.addNode('b', (m) => received.push(m.payload));
  return { net, received };
}

function run(seed: number): readonly TraceEvent[] {
  const { net } = pair({ seed, faults: { loss: 0.3, duplicate: 0.2, delay: uniform(1, 50) } });
  for (let i = 0; i < 200; i++) net.send('a', 'b', { n: i });
  net.runUntilIdle();
  return net.trace;
}

describe('determinism', () => {
  it('gives the identical trace for the same seed and program', () => {
    expect(run(42)).toEqual(run(42));
  });

  it('gives a different trace for a different seed', () => {
    expect(run(42)).not.toEqual(run(43));
  });
});

describe('faults', () => {
  const N = 100_000;

  it.each([0.05, 0.3, 0.9])('loses close to %f of 100,000 messages', (loss) => {
    const { net, received } = pair({ seed: 1, faults: { loss }, trace: false });
    for (let i = 0; i < N; i++) net.send('a', 'b', i);
    net.runUntilIdle();
    const observed = net.stats.droppedBy.loss / N;
    // Binomial standard deviation at N = 100,000 is at most 0.0016; 0.01 is over 6 sigma.
    expect(Math.abs(observed - loss)).toBeLessThan(0.01);
    expect(received.length + net.stats.dropped).toBe(N);
  });

  it.each([0.1, 0.5])('duplicates close to %f of 100,000 messages', (duplicate) => {
    const { net, received } = pair({ seed: 2, faults: { duplicate }, trace: false });
    for (let i = 0; i < N; i++) net.send('a', 'b', i);
    net.runUntilIdle();
    expect(Math.abs(net.stats.duplicated / N - duplicate)).toBeLessThan(0.01);
    expect(received.length).toBe(N + net.stats.duplicated);
  });

  it('delivers in send order with a fixed delay, and reorders with a spread of delays', () => {
    const fixedRun = pair({ faults: { delay: fixed(10) } });
    const spreadRun = pair({ faults: { delay: uniform(1, 100) } });
    for (const { net } of [fixedRun, spreadRun]) {
      for (let i = 0; i < 50; i++) net.send('a', 'b', i);
      net.runUntilIdle();
    }
    const inOrder = [...Array(50).keys()];
    expect(fixedRun.received).toEqual(inOrder);
    expect(spreadRun.received).not.toEqual(inOrder);
    expect([...spreadRun.received].sort((x, y) => (x as number) - (y as number))).toEqual(inOrder);
  });

  it('delivers a message after exactly its fixed delay', () => {
    const { net, received } = pair({ faults: { delay: 25 } });
    net.send('a', 'b', 'hi');
    net.advance(24);
    expect(received).toEqual([]);
    net.advance(1);
    expect(received).toEqual(['hi']);
  });

  it('draws exponential delays with about the configured mean', () => {
    const net = new Network({ seed: 3, faults: { delay: exponential(20) } });
    const latencies: number[] = [];
    net.addNode('a');
    net.addNode('b', (m) => latencies.push(net.now() - m.sentAt));
    for (let i = 0; i < 20_000; i++) net.send('a', 'b', i);
    net.runUntilIdle();
    const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;
    expect(mean).toBeGreaterThan(19);
    expect(mean).toBeLessThan(21);
  });

  it('applies per-link faults on top of the network-wide ones, one way unless asked', () => {
    const net = new Network({ seed: 4 });
    const got: string[] = [];
    for (const id of ['a', 'b', 'c']) net.addNode(id, (m) => got.push(`${m.from}->${m.to}`));
    net.setLinkFaults('a', 'b', { loss: 1 });
    net.send('a', 'b', 1);
    net.send('b', 'a', 2);
    net.send('a', 'c', 3);
    net.setLinkFaults('b', 'c', { loss: 1 }, { bothWays: true });
    net.send('b', 'c', 4);
    net.send('c', 'b', 5);
    net.runUntilIdle();
    expect(got.sort()).toEqual(['a->c', 'b->a']);
    net.clearLinkFaults();
    net.send('a', 'b', 6);
    net.runUntilIdle();
    expect(got).toContain('a->b');
  });
});

describe('partitions', () => {
  it('blocks messages across groups, in flight too, and heals', () => {
    const net = new Network();
    const got: string[] = [];
    for (const id of ['a', 'b', 'c']) net.addNode(id, (m) => got.push(`${m.from}->${m.to}:${String(m.payload)}`));
    net.send('a', 'b', 'in-flight');
    net.partition(['a'], ['b', 'c']);
    net.send('a', 'b', 'cut');
    net.send('b', 'c', 'same-side');
    net.runUntilIdle();
    expect(got).toEqual(['b->c:same-side']);
    expect(net.stats.droppedBy.partition).toBe(2);
    net.heal();
    net.send('a', 'b', 'healed');
    net.runUntilIdle();
    expect(got).toContain('a->b:healed');
  });

  it('isolates a node from everyone else', () => {
    const net = new Network();
    const got: string[] = [];
    for (const id of ['a', 'b', 'c']) net.addNode(id, (m) => got.push(`${m.from}->${m.to}`));
    net.isolate('c');
    net.send('a', 'c', 1);
    net.send('c', 'b', 2);
    net.send('a', 'b', 3);
    net.runUntilIdle();
    expect(got).toEqual(['a->b']);
  });
});

describe('crash and restart', () => {
  it('drops messages to a crashed node and resumes after restart', () => {
    const { net, received } = pair();
    net.crash('b');
    net.send('a', 'b', 'lost');
    net.runUntilIdle();
    expect(received).toEqual([]);
    expect(net.stats.droppedBy['receiver-down']).toBe(1);
    net.restart('b');
    net.send('a', 'b', 'after');
    net.runUntilIdle();
    expect(received).toEqual(['after']);
  });

  it('cancels a crashed node’s timers and drops what it sends', () => {
    const { net, received } = pair();
    let fired = false;
    net.node('a').setTimeout(() => (fired = true), 10);
    net.crash('a');
    net.send('a', 'b', 'from-the-dead');
    net.runUntilIdle();
    expect(fired).toBe(false);
    expect(received).toEqual([]);
    expect(net.stats.droppedBy['sender-down']).toBe(1);
  });

  it('can restart a node with a fresh handler, as a process that lost its memory', () => {
    const net = new Network();
    const before: unknown[] = [];
    const after: unknown[] = [];
    net.addNode('a');
    net.addNode('b', (m) => before.push(m.payload));
    net.crash('b');
    net.restart('b', (m) => after.push(m.payload));
    net.send('a', 'b', 'x');
    net.runUntilIdle();
    expect(before).toEqual([]);
    expect(after).toEqual(['x']);
  });
});

describe('trace and counters', () => {
  it('records send, deliver, duplicate and drop with virtual timestamps', () => {
    const { net } = pair({ seed: 9, faults: { loss: 0.5, duplicate: 0.5, delay: 5 } });
    for (let i = 0; i < 20; i++) net.send('a', 'b', i);
    net.runUntilIdle();
    const count = (kind: string) => net.trace.filter((e) => e.kind === kind).length;
    const { sent, delivered, dropped, duplicated } = net.stats;
    expect(count('send')).toBe(sent);
    expect(count('deliver')).toBe(delivered);
    expect(count('drop')).toBe(dropped);
    expect(count('duplicate')).toBe(duplicated);
    expect(sent).toBe(20);
    expect(delivered + dropped).toBe(sent + duplicated);
    for (const e of net.trace) expect(e.t).toBe(e.kind === 'deliver' ? 5 : 0);
  });

  it('draws the trace as a mermaid sequence diagram, optionally only its first events', () => {
    const { net } = pair({ faults: { delay: 3 } });
    net.send('a', 'b', { id: 'm1' });
    net.setLinkFaults('a', 'b', { loss: 1 });
    net.send('a', 'b', 'second');
    net.runUntilIdle();
    const diagram = net.toMermaid();
    expect(diagram.split('\n')).toEqual([
      'sequenceDiagram',
      '  participant a as a',
      '  participant b as b',
      '  a-xb: t=0 second lost',
      '  a->>b: t=3 {"id":"m1"}',
    ]);
    expect(net.toMermaid({ limit: 1 })).toBe('sequenceDiagram\n  participant a as a\n  participant b as b');
  });

  it('records every kind of event, with drop reasons at the send and in flight', () => {
    const net = new Network({ faults: { delay: 10 } });
    for (const id of ['a', 'b', 'c']) net.addNode(id);
    net.send('a', 'b', 'in flight when b crashes');
    net.send('a', 'c', 'in flight when c is cut off');
    net.advance(1);
    net.crash('b');
    net.isolate('c');
    net.send('b', 'a', 'from a crashed node');
    net.send('a', 'c', 'across the partition');
    net.runUntilIdle();
    net.heal();
    net.restart('b');
    expect(net.trace).toEqual([
      { t: 0, kind: 'send', id: 1, from: 'a', to: 'b', payload: 'in flight when b crashes' },
      { t: 0, kind: 'send', id: 2, from: 'a', to: 'c', payload: 'in flight when c is cut off' },
      { t: 1, kind: 'crash', node: 'b' },
      { t: 1, kind: 'partition', groups: [['c'], ['a', 'b']] },
      { t: 1, kind: 'send', id: 3, from: 'b', to: 'a', payload: 'from a crashed node' },
      { t: 1, kind: 'drop', id: 3, from: 'b', to: 'a', payload: 'from a crashed node', reason: 'sender-down' },
      { t: 1, kind: 'send', id: 4, from: 'a', to: 'c', payload: 'across the partition' },
      { t: 1, kind: 'drop', id: 4, from: 'a', to: 'c', payload: 'across the partition', reason: 'partition' },
      { t: 10, kind: 'drop', id: 1, from: 'a', to: 'b', payload: 'in flight when b crashes', reason: 'receiver-down' },
      { t: 10, kind: 'drop', id: 2, from: 'a', to: 'c', payload: 'in flight when c is cut off', reason: 'partition' },
      { t: 10, kind: 'heal' },
      { t: 10, kind: 'restart', node: 'b' },
    ]);
  });

  it('records a decision marked with note, in its place among the messages, and draws it as a note over its node', () => {
    const { net } = pair({ faults: { delay: 3 } });
    net.node('b').onMessage(() => net.note('b', 'hands on m1; next: 2'));
    net.send('a', 'b', 'm1');
    net.runUntilIdle();
    net.send('b', 'a', 'ack');
    net.runUntilIdle();
    expect(net.trace.filter((e) => e.kind !== 'send')).toEqual([
      { t: 3, kind: 'deliver', id: 1, from: 'a', to: 'b', payload: 'm1', copy: false },
      { t: 3, kind: 'note', node: 'b', text: 'hands on m1; next: 2' },
      { t: 6, kind: 'deliver', id: 2, from: 'b', to: 'a', payload: 'ack', copy: false },
    ]);
    expect(net.toMermaid().split('\n').slice(3)).toEqual(['  a->>b: t=3 m1', '  Note over b: t=3 hands on m1, next: 2', '  b->>a: t=6 ack']);
    expect(() => net.note('z', 'who?')).toThrow('unknown node "z"');
    const untraced = pair({ trace: false }).net;
    untraced.note('a', 'nothing recorded');
    expect(untraced.trace).toEqual([]);
  });

  it('gives the same trace whether it is read during the run or once at the end', () => {
    const faults = { loss: 0.2, duplicate: 0.3, delay: uniform(1, 20) };
    const readOften = pair({ seed: 8, faults });
    const readOnce = pair({ seed: 8, faults });
    const lengths: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      readOften.net.send('a', 'b', i);
      readOnce.net.send('a', 'b', i);
      if (i % 9_999 === 0) {
        readOften.net.advance(3);
        readOnce.net.advance(3);
        lengths.push(readOften.net.trace.length);
        expect(readOften.net.toMermaid({ limit: 50 })).toBe(toMermaid(readOften.net.trace.slice(0, 50), { participants: ['a', 'b'] }));
      }
    }
    readOften.net.runUntilIdle();
    readOnce.net.runUntilIdle();
    expect(readOften.net.trace).toEqual(readOnce.net.trace);
    expect(readOnce.net.trace.length).toBeGreaterThan(lengths[lengths.length - 1]);
    expect(readOnce.net.trace.filter((e) => e.kind === 'send').map((e) => e.kind === 'send' && e.payload)).toEqual([...Array(100_000).keys()]);
  });

  it('keeps no trace when tracing is off, but still counts', () => {
    const { net } = pair({ trace: false });
    net.send('a', 'b', 1);
    net.runUntilIdle();
    expect(net.trace).toEqual([]);
    expect(net.stats.delivered).toBe(1);
  });
});

describe('invalid configuration', () => {
  it.each([
    [{ loss: 1.5 }, /loss must be a probability in \[0, 1\], got 1.5/],
    [{ loss: -0.1 }, /loss .* got -0.1/],
    [{ duplicate: Number.NaN }, /duplicate .* got NaN/],
    [{ delay: -5 }, /delay.ms must be .* got -5/],
    [{ delay: uniform(10, 5) }, /delay.max must be >= delay.min/],
    [{ delay: exponential(-1) }, /delay.mean .* got -1/],
  ])('rejects %j with an error naming the field and value', (faults, message) => {
    expect(() => new Network({ faults })).toThrow(message);
    const net = new Network();
    net.addNode('a');
    net.addNode('b');
    expect(() => net.setLinkFaults('a', 'b', faults)).toThrow(message);
  });

  it('rejects unknown nodes and duplicate ids by name', () => {
    const net = new Network();
    net.addNode('a');
    expect(() => net.send('a', 'zed', 1)).toThrow(/unknown node "zed"/);
    expect(() => net.crash('ghost')).toThrow(/unknown node "ghost"/);
    expect(() => net.partition(['a'], ['nope'])).toThrow(/unknown node "nope"/);
    expect(() => net.addNode('a')).toThrow(/node "a" already exists/);
  });

  it('leaves the old faults in place when a change is rejected', () => {
    const { net, received } = pair();
    expect(() => net.setFaults({ loss: 0.5, delay: -1 })).toThrow();
    net.send('a', 'b', 1);
    net.runUntilIdle();
    expect(received).toEqual([1]);
  });
});

describe('virtual time', () => {
  it('simulates an hour of periodic traffic in well under a second of wall time', () => {
    const { net, received } = pair({ seed: 5, faults: { loss: 0.1, delay: uniform(1, 20) }, trace: false });
    const sender = net.node('a');
    net.clock.setInterval(() => sender.send('b', net.now()), 10);
    const started = performance.now();
    net.advance(60 * 60 * 1000);
    const wallMs = performance.now() - started;
    expect(net.now()).toBe(3_600_000);
    expect(net.stats.sent).toBe(360_000);
    expect(received.length).toBeGreaterThan(300_000);
    expect(wallMs).toBeLessThan(1000);
  });
});
