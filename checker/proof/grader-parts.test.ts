/**
 * The grader's small parts: message shortening, hint and mutation parsing, tsc output parsing and
 * its verdicts, the code rules, the feedback's text and file names, shards, where traces go.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUT } from '../../tooling/course';
import { feedbackFileNames } from '../class/gradebook-files';
import { submissionText, WITHHELD } from '../class/feedback-text';
import { shardOf } from '../class/gradebook';
import { ruleBreaks } from '../grade/code-rules';
import type { ExerciseResult } from '../grade/grade';
import { gradePart } from '../grade/outcome';
import type { CanaryFate, CheckFileOutcome } from '../grade/run-checks';
import { parseHints } from '../grade/hints';
import { locateInSubmission, shortMessage } from '../grade/messages';
import { renderItems } from '../grade/output';
import { itemCoverage, readmeItems } from '../grade/readme-items';
import { clearTraces, traceDirOf } from '../grade/trace-dirs';
import { parseTscOutput, typeCheck } from '../grade/type-check';
import { parseMutation } from './mutation';
import { root, scratchDir } from './test-support';

describe('shortMessage', () => {
  it('keeps the message and drops the stack and the AssertionError prefix', () => {
    const stack = 'AssertionError: expected [ 1 ] to deeply equal [ 1, 2 ]\n    at /repo/exercises/01-x/checks.test.ts:10:5\n    at run (node:internal)';
    expect(shortMessage(stack)).toBe('got [1], then nothing; expected [1, 2]');
  });

  it('never shows the names vite gives imported modules', () => {
    expect(shortMessage('TypeError: __vite_ssr_import_1__.server.createMessageServer is not a function')).toBe('TypeError: server.createMessageServer is not a function');
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
    // The exercise's check files live beside the student's code: their frames are not the student's.
    const stack = `Error: TODO\n    at check (${root}/exercises/08-retry-backoff/harness.ts:12:3)\n    at Module.f (${root}/exercises/08-retry-backoff/retry.ts:37:9)\n    at ${root}/exercises/08-retry-backoff/checks.test.ts:5:1`;
    expect(locateInSubmission(stack, [path.join(root, LAYOUT.exercises, '08-retry-backoff')], root)).toBe('exercises/08-retry-backoff/retry.ts:37:9');
    expect(locateInSubmission(stack, [path.join(root, LAYOUT.solutions)], root)).toBeUndefined();
  });
});

describe('parseHints', () => {
  it('reads the folded hints of ## Hints, in order, up to the next ## section', () => {
    const fold = (title: string, body: string) => `<details>\n<summary>${title}</summary>\n\n${body}\n\n</details>`;
    const readme = `# Ex\n\n## Hints\n\nOpen one at a time.\n\n${fold('Hint 1: gentle', 'Think.')}\n\n${fold('Hint 2: explicit', 'Do `x`.')}\n\n## After\n\n${fold('Not a hint', 'no')}\n`;
    expect(parseHints(readme)).toEqual([
      { title: 'Hint 1: gentle', body: 'Think.', items: [] },
      { title: 'Hint 2: explicit', body: 'Do `x`.', items: [] },
    ]);
    expect(parseHints(`## Hints\n\n${fold('Hint 1: a (item 4)', 'b')}\n${fold('Hint 2: c (items 3, 6 and 9)', 'd')}\n`).map((h) => h.items)).toEqual([[4], [3, 6, 9]]);
    expect(parseHints('# No hints here\n')).toEqual([]);
  });
});

describe('parseMutation', () => {
  it('reads the description and the find/replace blocks of each file', () => {
    const mutation = parseMutation('Off by one.\n--- a.ts\n<<<<\nif (x > 1) {\n====\nif (x >= 1) {\n>>>>\n--- b.ts\n<<<<\ndrop me\n====\n>>>>\n');
    expect(mutation).toEqual({
      description: 'Off by one.',
      base: 'solution',
      edits: [
        { file: 'a.ts', find: 'if (x > 1) {', replace: 'if (x >= 1) {' },
        { file: 'b.ts', find: 'drop me', replace: '' },
      ],
    });
    expect(() => parseMutation('Words.\n--- a.ts\n<<<<\nno end\n')).toThrow('without its ==== and >>>>');
  });

  it('edits the starter instead of the solution after a line "base: starter", and may then add files only', () => {
    expect(parseMutation('Adds a test file.\nbase: starter\n')).toEqual({ description: 'Adds a test file.', base: 'starter', edits: [] });
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

describe('ruleBreaks', () => {
  const broken = (code: string) => ruleBreaks('x.ts', code).map((b) => `${b.at.replace('x.ts:', '')} ${b.message.split(':')[0]}`);

  it('refuses loading by a computed name, code from strings and reaching into internals, each with its place', () => {
    expect(broken("const a = require('x');")).toEqual(['1:11 require() is not allowed']);
    expect(broken('void import(name);')).toEqual(['1:6 import() of a computed name is not allowed']);
    expect(broken("eval('1'); new Function('x');")).toEqual(['1:1 eval() is not allowed', '1:12 Function() is not allowed']);
    expect(broken("(() => 1).constructor('return 1');")).toEqual(['1:1 calling a .constructor is not allowed']);
    expect(broken("Symbol.for('a'); (process as any).binding('fs');")).toEqual(['1:1 Symbol.for() is not allowed', '1:18 process.binding() is not allowed']);
    expect(broken('(globalThis as any)[key];')).toEqual(['1:1 globalThis[...] with a computed name is not allowed']);
    expect(broken('const w = (globalThis as any).__vitest_worker__;')).toEqual(['1:31 "__vitest_worker__" names the test framework']);
    expect(broken('import x = require("y");')).toEqual(['1:1 require() is not allowed']);
  });

  it('refuses a computed name on Object, Reflect, process and their kin, a refused property written as a literal or taken apart, and process.getBuiltinModule', () => {
    expect(broken("(Object as any)['getOwnProperty' + 'Symbols'](globalThis);")).toEqual(['1:1 Object[...] with a computed name is not allowed']);
    expect(broken("Reflect['own' + 'Keys'](globalThis);")).toEqual(['1:1 Reflect[...] with a computed name is not allowed']);
    expect(broken("(process as any)['binding']('fs'); process[`dlopen`];")).toEqual(['1:1 process.binding() is not allowed', '1:36 process.dlopen() is not allowed']);
    expect(broken("process.getBuiltinModule('node:fs'); const { getBuiltinModule: load } = process;")).toEqual(['1:1 process.getBuiltinModule() is not allowed', '1:46 process.getBuiltinModule() is not allowed']);
    expect(broken("const { ['bind' + 'ing']: b } = process as any; process.mainModule;")).toEqual(['1:9 process[...] with a computed name is not allowed', '1:49 process.mainModule is not allowed']);
    expect(broken("const home = process.env['HOME']; const keys = Object['keys']({}); const o: Record<string, number> = {}; o[home ?? ''] = 1;")).toEqual([]);
  });

  it('refuses comments that silence the type-checker, as TypeScript reads them, and nothing else', () => {
    expect(broken('// @ts-ignore\nconst a: number = 1;')).toEqual(['1:1 // @ts-ignore is not allowed']);
    expect(broken('/* @ts-expect-error */ const a = 1;')).toEqual(['1:1 // @ts-expect-error is not allowed']);
    expect(broken('/** a comment that mentions // @ts-ignore in passing */')).toEqual([]);
  });

  it('lets ordinary code through: literal imports, a chain, the global object by name', () => {
    expect(broken("import fs from 'node:fs'; const chain = [1].map((x) => x); void import('./y'); globalThis.setTimeout(() => {}, 1); const m = new Map();")).toEqual([]);
  });
});

describe('feedback text', () => {
  const secrets = ["it('lets only one trial call through while half-open', () => { const breaker = new CircuitBreaker();"];

  it('cuts text from the submission to one line of at most 160 characters', () => {
    expect(submissionText('first line\nsecond line', secrets)).toBe('first line second line');
    expect(submissionText('x'.repeat(500), secrets)).toHaveLength(160);
  });

  it('withholds text that quotes a hidden check or a solution, even folded differently', () => {
    expect(submissionText("Error: lets only one trial call   through while half-open', () => {", secrets)).toBe(WITHHELD);
    expect(submissionText('TODO: CircuitBreaker constructor (exercise 09)', secrets)).toBe('TODO: CircuitBreaker constructor (exercise 09)');
  });

  it('gives students whose names meet as file names files of their own', () => {
    expect(Object.fromEntries(feedbackFileNames(['a b', 'a_b', 'Ann', 'ann', 'zoe']))).toEqual({
      'a b': expect.stringMatching(/^a_b-[0-9a-f]{8}\.md$/) as string,
      a_b: expect.stringMatching(/^a_b-[0-9a-f]{8}\.md$/) as string,
      Ann: expect.stringMatching(/^Ann-[0-9a-f]{8}\.md$/) as string,
      ann: expect.stringMatching(/^ann-[0-9a-f]{8}\.md$/) as string,
      zoe: 'zoe.md',
    });
    expect(new Set(feedbackFileNames(['a b', 'a_b']).values()).size).toBe(2);
  });
});

describe('the folder of an exercise\'s traces', () => {
  it('is traces/ in the graded folder, where Jupyter serves it; in the gradebook\'s sandbox, the grader\'s cache, never the submission', () => {
    expect(traceDirOf('/w', '13-failure-detector', '/w/exercises/13-failure-detector')).toBe('/w/exercises/13-failure-detector/traces');
    expect(traceDirOf('/w', '13-failure-detector', '/w/exercises/13-failure-detector', 'process')).toBe('/w/exercises/13-failure-detector/traces');
    expect(traceDirOf('/w', '13-failure-detector', '/w/submission/13-failure-detector', 'sandbox')).toBe(path.join('/w', LAYOUT.cache, 'grade', '13-failure-detector'));
  });

  it('is cleared of earlier diagrams at each grading, keeping anything else, and goes when empty', () => {
    const dir = path.join(scratchDir('traces'), 'traces');
    fs.mkdirSync(dir);
    for (const name of ['a.mmd', 'a.svg', 'mine.txt']) fs.writeFileSync(path.join(dir, name), '');
    clearTraces(dir);
    expect(fs.readdirSync(dir)).toEqual(['mine.txt']);
    fs.rmSync(path.join(dir, 'mine.txt'));
    fs.writeFileSync(path.join(dir, 'b.mmd'), '');
    clearTraces(dir);
    expect(fs.existsSync(dir)).toBe(false);
    clearTraces(dir);
    fs.rmSync(path.dirname(dir), { recursive: true });
  });
});

describe('shardOf', () => {
  it('slices a class into stable, even shards that together hold everyone once', () => {
    const students = Array.from({ length: 11 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const shards = [1, 2, 3].map((index) => shardOf(students, { index, count: 3 }));
    expect(shards.map((s) => s.length)).toEqual([4, 4, 3]);
    expect(shards.flat().sort()).toEqual(students);
  });
});

describe('typeCheck', () => {
  const scratch = scratchDir('type-check');
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('never counts a tsc that was killed, crashed or ran too long as clean, nor caches it', async () => {
    const file = path.join(scratch, 'code.ts');
    fs.writeFileSync(file, `export const planted = ${Date.now()};\n`);
    const fakeTsc = (name: string, body: string) => {
      const script = path.join(scratch, `${name}.cjs`);
      fs.writeFileSync(script, body);
      return script;
    };
    const killed = await typeCheck(root, { x: [file] }, { tsc: fakeTsc('killed', "process.kill(process.pid, 'SIGKILL');") });
    expect(killed.get('x')).toEqual({ problems: [], unfinished: 'it was stopped by SIGKILL' });
    const crashed = await typeCheck(root, { x: [file] }, { tsc: fakeTsc('crashed', 'process.exit(3);') });
    expect(crashed.get('x')).toEqual({ problems: [], unfinished: 'it crashed with exit code 3' });
    const slow = await typeCheck(root, { x: [file] }, { tsc: fakeTsc('slow', 'setTimeout(() => {}, 60_000);'), timeLimitMs: 300 });
    expect(slow.get('x')).toEqual({ problems: [], unfinished: 'it took longer than 0.3 s' });
    const real = await typeCheck(root, { x: [file] });
    expect(real.get('x')).toEqual({ problems: [] });
  }, 60_000);
});

describe('README items and their checks', () => {
  const readme = '# Exercise 99: X\n\n## What the checks look for\n\nIntro.\n\n1. First rule,\n   on two lines.\n2. Second rule.\n3. Third rule.\n\nYour code must type-check.\n\n## Hints\n\n1. not an item\n';

  it('reads the numbered items of "What the checks look for", each on one line, and nothing after the section', () => {
    expect(readmeItems(readme)).toEqual([
      { number: 1, text: 'First rule, on two lines.' },
      { number: 2, text: 'Second rule.' },
      { number: 3, text: 'Third rule.' },
    ]);
  });

  it('counts each item’s public checks and those that passed, its hidden checks, and says which only the final grade checks', () => {
    const coverage = itemCoverage(readmeItems(readme), ['x > [1] a', 'x > [1] b', 'x > [2] c'], ['x > [3] d', 'x > [1] e'], [{ check: 'x › [1] b', hidden: false }], true);
    expect(coverage.map((c) => [c.number, c.public, c.hidden, c.hiddenFailed])).toEqual([
      [1, { passed: 1, total: 2 }, 1, 0],
      [2, { passed: 1, total: 1 }, 0, 0],
      [3, { passed: 0, total: 0 }, 1, 0],
    ]);
    const text = stripVTControlCharacters(renderItems({ id: '99-x', status: 'failed', items: coverage } as ExerciseResult));
    expect(text).toContain('✗  1. First rule, on two lines.  1/2 public + 1 hidden');
    expect(text).toContain('✓  2. Second rule.  1/1 public');
    expect(text).toContain('·  3. Third rule.  checked in the final grade only (1 hidden)');
  });

  it('fails an item whose hidden check failed in the run, though its public checks passed, and marks it [hidden]', () => {
    // A public and a hidden check may share a title: only the hidden one failed here.
    const failed = [
      { check: 'x › [1] e', hidden: true },
      { check: 'x › [3] d', hidden: true },
    ];
    const coverage = itemCoverage(readmeItems(readme), ['x > [1] a', 'x > [1] e', 'x > [2] c'], ['x > [3] d', 'x > [1] e', 'x > [2] f'], failed, true);
    expect(coverage.map((c) => [c.number, c.public, c.hidden, c.hiddenFailed])).toEqual([
      [1, { passed: 2, total: 2 }, 1, 1],
      [2, { passed: 1, total: 1 }, 1, 0],
      [3, { passed: 0, total: 0 }, 1, 1],
    ]);
    const text = stripVTControlCharacters(renderItems({ id: '99-x', status: 'failed', items: coverage } as ExerciseResult));
    expect(text).toContain('✗  1. First rule, on two lines.  2/2 public + 0/1 hidden [hidden]');
    expect(text).toContain('✓  2. Second rule.  1/1 public + 1 hidden');
    expect(text).toContain('✗  3. Third rule.  0/1 hidden [hidden]');
    expect(text).not.toContain('✓  1.');
  });
});

describe('gradePart and the canaries', () => {
  const context = { exerciseId: '09-circuit-breaker', dir: path.join(root, 'x'), root, hidden: false, titles: ['S > [1] a', 'S > [2] b'], othersGraded: false, services: [] };
  const check = (title: string, status: 'passed' | 'failed') => ({ ancestorTitles: ['S'], title, fullName: `S ${title}`, status, failureMessages: status === 'failed' ? ['AssertionError: no'] : [] });
  const report = (canaries: CanaryFate): CheckFileOutcome => ({
    kind: 'report',
    result: { name: 'f', status: 'failed', message: '', assertionResults: [check('[1] a', 'passed'), check('[2] b', 'failed')] },
    canaries,
  });

  it('grades a report whose every canary failed on its real checks alone', () => {
    expect(gradePart(report({ planted: 3, failed: 3, passed: 0 }), context)).toMatchObject({ status: 'failed', passed: 1, total: 2, problems: [] });
  });

  it('gives 0 when a canary passed, went missing, or none was planted', () => {
    expect(gradePart(report({ planted: 3, failed: 2, passed: 1 }), context)).toMatchObject({ status: 'error', passed: 0, problems: ['the results of this run were tampered with: a check that must fail passed'] });
    for (const canaries of [{ planted: 3, failed: 2, passed: 0 }, { planted: 0, failed: 0, passed: 0 }]) {
      expect(gradePart(report(canaries), context)).toMatchObject({ status: 'error', passed: 0, problems: ['the checks did not run to their end: the process running them was stopped, or the results were tampered with'] });
    }
  });
});
