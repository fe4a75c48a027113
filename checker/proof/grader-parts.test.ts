/**
 * The grader's small parts: message shortening, hint and mutation parsing, tsc output parsing.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { parseHints } from '../grade/hints';
import { locateInSubmission, shortMessage } from '../grade/messages';
import { parseTscOutput } from '../grade/type-check';
import { parseMutation } from './mutation';

describe('shortMessage', () => {
  it('keeps the message and drops the stack and the AssertionError prefix', () => {
    const stack = 'AssertionError: expected [ 1 ] to deeply equal [ 1, 2 ]\n    at /repo/checker/checks/x.test.ts:10:5\n    at run (node:internal)';
    expect(shortMessage(stack)).toBe('expected [ 1 ] to deeply equal [ 1, 2 ]');
  });

  it('says a vitest check time-out in seconds', () => {
    expect(shortMessage('Error: Test timed out in 5000ms.\nIf this is a long-running test, pass a timeout value')).toBe(
      'timed out after 5 s: a promise that never settles, or a loop that never ends?',
    );
  });

  it('reduces a parser diagnostic to the complaint and its place', () => {
    const text = 'Error: Transform failed with 1 error:\n\n\u001b[31m[PARSE_ERROR] \u001b[0mExpected `)` but found `{`\n   ╭─[ exercises/05-x/a.ts:8:27 ]\n   │\n';
    expect(shortMessage(text)).toBe('syntax error: Expected `)` but found `{` (at exercises/05-x/a.ts:8:27)');
  });

  it('finds the first stack frame inside the submission', () => {
    const root = path.resolve('/repo');
    const stack = `Error: TODO\n    at Module.f (${root}/exercises/08-retry-backoff/retry.ts:37:9)\n    at ${root}/checker/checks/03.test.ts:5:1`;
    expect(locateInSubmission(stack, [path.join(root, LAYOUT.exercises, '08-retry-backoff')], root)).toBe('exercises/08-retry-backoff/retry.ts:37:9');
    expect(locateInSubmission(stack, [path.join(root, LAYOUT.solutions)], root)).toBeUndefined();
  });
});

describe('parseHints', () => {
  it('reads the ### subsections of ## Hints, in order, up to the next ## section', () => {
    const readme = '# Ex\n\n## Hints\n\n### Hint 1: gentle\n\nThink.\n\n### Hint 2: explicit\n\nDo `x`.\n\n## After\n\nNot a hint.\n';
    expect(parseHints(readme)).toEqual([
      { title: 'Hint 1: gentle', body: 'Think.' },
      { title: 'Hint 2: explicit', body: 'Do `x`.' },
    ]);
    expect(parseHints('# No hints here\n')).toEqual([]);
  });
});

describe('parseMutation', () => {
  it('reads the description and the find/replace blocks of each file', () => {
    const mutation = parseMutation('Off by one.\n--- a.ts\n<<<<\nif (x > 1) {\n====\nif (x >= 1) {\n>>>>\n--- b.ts\n<<<<\ndrop me\n====\n>>>>\n');
    expect(mutation).toEqual({
      description: 'Off by one.',
      edits: [
        { file: 'a.ts', find: 'if (x > 1) {', replace: 'if (x >= 1) {' },
        { file: 'b.ts', find: 'drop me', replace: '' },
      ],
    });
    expect(() => parseMutation('Only words.')).toThrow('at least one');
  });
});

describe('parseTscOutput', () => {
  it('reads located and global errors, with their continuation lines', () => {
    const output = "exercises/a/x.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n  Details here.\nerror TS2688: Cannot find type definition file for 'node'.\n";
    expect(parseTscOutput(output)).toEqual([
      { file: 'exercises/a/x.ts', line: 3, column: 7, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'.\n  Details here." },
      { file: '', line: 0, column: 0, code: 'TS2688', message: "Cannot find type definition file for 'node'." },
    ]);
  });
});
