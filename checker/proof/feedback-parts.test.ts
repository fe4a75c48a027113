/**
 * The small parts of the grader's words for a failure (issue 26, item 2): comparisons in plain
 * words, sequences as ranges, a type error's whole diagnostic, an error let through the student's
 * code, a service lost mid-run, a network check's run shown around the moment it went wrong. The
 * planted submissions that show them in full are in feedback.test.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainComparison } from '../grade/comparisons';
import { escapedThrough, shortMessage } from '../grade/messages';
import { gradePart } from '../grade/outcome';
import { typeErrorProblem } from '../grade/type-errors';
import { compareSequences, ranges } from '../shared/sequences';
import { diagram, timeline } from '../shared/trace-view';
import { Network } from '../../toolkit/netsim';

const upTo = (n: number, from = 1) => Array.from({ length: n - from + 1 }, (_, i) => i + from);

describe('sequences', () => {
  it('shows runs as ranges, and cuts a long list that does not shrink', () => {
    expect(ranges(upTo(16))).toBe('1-16');
    expect(ranges([1, 2, 4, 5, 6, 9])).toBe('1, 2, 4-6, 9');
    expect(ranges([1, 6, 5, 7, 3, 14, 13, 9, 11, 2, 4, 8, 10])).toBe('1, 6, 5, 7, 3, 14, 13, 9, 11, 2, … (13 in all)');
  });

  it('compares two sequences by where they part', () => {
    expect(compareSequences(upTo(16), upTo(40))).toBe('got [1-16], then nothing; expected [1-40]');
    expect(compareSequences([], [1, 2])).toBe('got nothing; expected [1, 2]');
    expect(compareSequences([1, 3, 2], [1, 2, 3])).toBe('got [1, 3, 2], expected [1-3]: the 2nd is 3, not 2');
    expect(compareSequences(upTo(22), upTo(20))).toBe('got [1-22], expected [1-20]: 2 more than expected, from the 21st on');
  });
});

describe('plainComparison', () => {
  it('says the framework\'s comparisons in words, keeping the check\'s sentence', () => {
    expect(plainComparison('expected +0 to be 3 // Object.is equality')).toBe('got 0, expected 3');
    expect(plainComparison('idle() resolved early: expected true to be false // Object.is equality')).toBe('idle() resolved early: got true, expected false');
    expect(plainComparison(`seed 1: what was handed on: expected [ ${upTo(16).join(', ')} ] to deeply equal [ ${upTo(40).join(', ')} ]`)).toBe(
      'seed 1: what was handed on: got [1-16], then nothing; expected [1-40]',
    );
    expect(plainComparison("owners: expected [ 'a', 'b' ] to deeply equal [ 'a' ]")).toBe("owners: got [ 'a', 'b' ], expected [ 'a' ]");
    expect(plainComparison('taken: expected 12 to be less than or equal to 10')).toBe('taken: got 12, expected at most 10');
    expect(plainComparison("expected 'it to be' to be 'x'")).toBe("got 'it to be', expected 'x'");
    expect(plainComparison('expected [Function] to throw an error')).toBe('expected [Function] to throw an error');
  });

  it('cuts a value too long to show, and says so', () => {
    const long = `[ ${upTo(60).map((n) => `'p-${n}'`).join(', ')} ]`;
    expect(plainComparison(`left: expected ${long} to deeply equal []`)).toMatch(/^left: got \[ 'p-1', .*… \(cut: \d+ characters\), expected \[\]$/);
  });

  it('is what shortMessage gives for a failed expectation', () => {
    expect(shortMessage('AssertionError: expected [ 1 ] to deeply equal [ 1, 2 ]\n    at /repo/x/checks.test.ts:1:1')).toBe('got [1], then nothing; expected [1, 2]');
  });
});

describe('escapedThrough', () => {
  const dir = path.resolve('/repo/exercises/16-stream-worker');
  const stack = (first: string) =>
    `Error: database hiccup (injected by the checks)\n    at ${first}\n    at handle (${dir}/worker.ts:82:3)\n    at workOnce (${dir}/worker.ts:64:47)\n    at lane (${dir}/harness.ts:319:18)`;

  it('names the outermost function of the submission an error from the checks\' side went through', () => {
    expect(escapedThrough(stack(`Object.apply (${dir}/harness.ts:133:50)`), [dir])).toEqual({ name: 'workOnce', file: `${dir}/worker.ts` });
  });

  it('says nothing of an error the submission raised itself, or of a failed expectation', () => {
    expect(escapedThrough(stack(`handle (${dir}/worker.ts:80:9)`), [dir])).toBeUndefined();
    expect(escapedThrough(`AssertionError: no\n    at Object.apply (${dir}/harness.ts:1:1)\n    at workOnce (${dir}/worker.ts:64:47)`, [dir])).toBeUndefined();
  });
});

describe('typeErrorProblem', () => {
  it('gives each error once, with every line of its explanation', () => {
    const problem = { file: 'exercises/08-x/retry.ts', line: 106, column: 18, code: 'TS2345', message: "Argument of type 'A' is not assignable to parameter of type 'B'.\n  Target signature provides too few arguments. Expected 2 or more, but got 1." };
    expect(typeErrorProblem([problem, { ...problem }])).toBe(
      [
        'fix the type errors first: checks not run (your code has a type error; no points until it type-checks):',
        "exercises/08-x/retry.ts:106:18 TS2345: Argument of type 'A' is not assignable to parameter of type 'B'.",
        '  Target signature provides too few arguments. Expected 2 or more, but got 1.',
      ].join('\n'),
    );
  });
});

describe('gradePart, a service lost mid-run', () => {
  const port = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || '6379';
  const check = (title: string, failure?: string) => ({ ancestorTitles: ['S'], title, fullName: `S ${title}`, status: failure ? 'failed' : 'passed', failureMessages: failure ? [failure] : [] }) as const;
  const outcome = {
    kind: 'report',
    canaries: { planted: 2, failed: 2, passed: 0 },
    result: {
      name: 'f',
      status: 'failed',
      message: '',
      assertionResults: [check('[1] a'), check('[2] b', 'Error: read ECONNRESET'), check('[3] c', `Error: connect ECONNREFUSED 127.0.0.1:${port}`), check('[4] d', `Error: connect ECONNREFUSED 127.0.0.1:${port}`)],
    },
  } as const;
  const context = { exerciseId: '16-x', dir: '/repo/x', root: '/repo', hidden: false, titles: ['S > [1] a', 'S > [2] b', 'S > [3] c', 'S > [4] d'], othersGraded: false };

  it('makes the checks left "not run", with the reason, when the exercise needs the service', () => {
    const part = gradePart(structuredClone(outcome) as never, { ...context, services: ['redis'] });
    expect(part).toMatchObject({ status: 'not-run', passed: 1, total: 4 });
    expect(part.problems).toEqual([`not run: Redis went away while the checks ran (connect ECONNREFUSED 127.0.0.1:${port}), so 3 checks could not run; start it again, then grade again`]);
    expect(part.failures.map((f) => [f.notRun, f.message])).toEqual(Array(3).fill([true, 'not run: Redis went away while the checks ran']));
  });

  it('leaves a refused connection a failure where the exercise needs no service, or where it is not the service\'s port', () => {
    expect(gradePart(structuredClone(outcome) as never, { ...context, services: [] })).toMatchObject({ status: 'failed', problems: [] });
    const elsewhere = JSON.parse(JSON.stringify(outcome).replaceAll(`127.0.0.1:${port}`, '127.0.0.1:1')) as never;
    expect(gradePart(elsewhere, { ...context, services: ['redis'] })).toMatchObject({ status: 'failed', problems: [] });
  });
});

describe('a failed network check\'s run, around the moment it went wrong', () => {
  /** A minute of messages from w to the monitor (no run of them the same), which marks a suspicion of w at t=30005. */
  function heartbeats() {
    const net = new Network({ faults: { delay: 5 } });
    net.addNode('monitor', () => {});
    const w = net.addNode('w');
    let sent = 0;
    const beat = () => {
      w.send('monitor', { kind: 'abcdefg'[sent++ % 7] });
      w.setTimeout(beat, 100);
    };
    beat();
    net.clock.setTimeout(() => net.note('monitor', 'suspects w'), 30_005);
    net.advance(60_000);
    return net;
  }

  it('shows the timeline around the moment, marked, with what is left out on each side said', () => {
    const net = heartbeats();
    const lines = timeline(net.trace, 7, { t: 30_005, what: 'the live w suspected' });
    expect(lines[0]).toBe(`seed 7, ${net.trace.length} events; around t=30005, where the run went wrong, repeats shortened (virtual time in ms):`);
    expect(lines[1]).toMatch(/^… \d+ earlier events, t=0 to t=\d+, not shown …$/);
    const marked = lines.indexOf('✗ t=30005: the live w suspected');
    expect(lines.slice(marked - 2, marked), 'the decision, marked as a note, just before the mark').toContain('t=30005  monitor: suspects w');
    expect(lines.slice(marked + 1, -1), 'a few events after it').toEqual([
      't=30100  w sends {"kind":"a"} to monitor',
      't=30105  monitor receives {"kind":"a"} from w',
      't=30200  w sends {"kind":"b"} to monitor',
      't=30205  monitor receives {"kind":"b"} from w',
      't=30300  w sends {"kind":"c"} to monitor',
      't=30305  monitor receives {"kind":"c"} from w',
    ]);
    expect(lines.at(-1)).toMatch(/^… 593 later events, t=30400 to t=60000, not shown …$/);
    expect(lines.length).toBeLessThan(30);
  });

  it('draws the diagram around the moment: the decision as a note, the mark, and notes for what is not drawn', () => {
    const net = heartbeats();
    const { code, part } = diagram(net.trace, net.nodes, { t: 30_005, what: 'the live w suspected' });
    const lines = code.split('\n');
    const marked = lines.indexOf('  Note over monitor,w: ✗ t=30005: the live w suspected');
    expect(marked, code).toBeGreaterThan(0);
    expect(lines.slice(marked - 2, marked)).toContain('  Note over monitor: t=30005 suspects w');
    expect(lines[3]).toMatch(/^ {2}Note over monitor,w: … \d+ earlier events, t=0 to t=\d+, not drawn …$/);
    expect(lines.at(-1)).toMatch(/^ {2}Note over monitor,w: … \d+ later events, t=\d+ to t=60000, not drawn …$/);
    expect(lines.slice(marked + 1).filter((line) => line.includes('->>')).length, 'a few events after it').toBeLessThanOrEqual(20);
    expect(part).toMatch(/^\d+ of its \d+ events, around t=30005, where it went wrong, repeats shortened$/);
    // Without the moment: the run's end, as before.
    expect(diagram(net.trace, net.nodes).part).toMatch(/^the last \d+ of its \d+ events, repeats shortened$/);
    expect(timeline(net.trace, 7)[0]).toMatch(/^seed 7, \d+ events, the last 24 lines/);
  });
});
