/**
 * The exercise folders are what a student needs and no more: a README with the task, the API,
 * what the checks look for and a ladder of hints; starters with signatures whose bodies only throw
 * TODO; the solutions mirroring the starters file for file; self-contained check files; and no
 * line of a solution copied into what students get.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseHints } from './hints';
import { distinctiveSolutionLines } from './solution-lines';
import { EXERCISES, root } from './test-support';

const tsFiles = (dir: string) => fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.ts')).sort();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Bodies in a starter that do more than throw a TODO (classes extending Error are allowed). */
function bodiesThatDoSomething(file: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => /\bError\b/.test(h.getText()))) return;
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node)) && node.body) {
      const [only, ...rest] = node.body.statements;
      const throwsTodo = only && rest.length === 0 && ts.isThrowStatement(only) && /TODO/.test(only.getText());
      if (!throwsTodo) found.push(`${file}: ${node.getText().split('\n')[0]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function filesUnder(dir: string, skip: (rel: string) => boolean): string[] {
  return fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true }).flatMap((entry) => {
    const rel = path.relative(root, path.join(entry.parentPath, entry.name));
    return entry.isFile() && !skip(rel) ? [rel] : [];
  });
}

describe.each(EXERCISES)('%s', (id) => {
  it('has a README with the task, the API, what the checks look for, and at least three hints', () => {
    const readme = read(`exercises/${id}/README.md`);
    expect(readme).toMatch(new RegExp(`^# Exercise ${id.slice(0, 2)}: .+`));
    for (const section of ['## Your task', '## The API', '## What the checks look for', '## Run the checks', '## Hints']) {
      expect(readme, section).toContain(`\n${section}\n`);
    }
    const hints = parseHints(readme);
    expect(hints.length).toBeGreaterThanOrEqual(3);
    hints.forEach((hint, i) => {
      expect(hint.title).toMatch(new RegExp(`^Hint ${i + 1}: `));
      expect(hint.body.length, hint.title).toBeGreaterThan(80);
    });
  });

  it('has starters with full signatures whose bodies only throw TODO', () => {
    const files = tsFiles(`exercises/${id}`);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      expect(read(`exercises/${id}/${name}`)).toMatch(/^\/\*\*[\s\S]*?npm run grade -- \d\d/);
      expect(bodiesThatDoSomething(`exercises/${id}/${name}`)).toEqual([]);
    }
  });

  it('has a solution with the same files as the starter, and its public and hidden checks', () => {
    expect(tsFiles(`solutions/${id}`)).toEqual(tsFiles(`exercises/${id}`));
    expect(fs.existsSync(path.join(root, 'checker', 'checks', `${id}.test.ts`))).toBe(true);
    expect(fs.existsSync(path.join(root, 'checker', 'hidden', `${id}.test.ts`))).toBe(true);
  });

  it.each(['checks', 'hidden'])('has a self-contained checker/%s file: vitest, node, the toolkit (netsim, broker), its exercise’s shared harness and the code under test only', (kind) => {
    const importsOf = (file: string) => [...read(file).matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]);
    const allowed = /^(vitest|node:[a-z_/]+|\.\.\/\.\.\/toolkit\/(netsim|broker)|\.\/\d{2}-[a-z-]+\.harness|\.\.\/checks\/\d{2}-[a-z-]+\.harness|@submission\/\d{2}-[a-z-]+\/[a-z-]+)$/;
    const specifiers = importsOf(`checker/${kind}/${id}.test.ts`);
    // A shared harness (checker/checks/NN-slug.harness.ts) is held to the same rule.
    const harness = `checker/checks/${id}.harness.ts`;
    if (specifiers.some((s) => s.endsWith(`${id}.harness`))) specifiers.push(...importsOf(harness));
    for (const specifier of specifiers) {
      expect(specifier, `${kind}/${id}.test.ts imports ${specifier}`).toMatch(allowed);
    }
    expect(specifiers.some((s) => s.startsWith(`@submission/${id}/`))).toBe(true);
  });
});

describe('what students get', () => {
  it('contains no line of logic copied from a solution (exercises/, READMEs, checker/ but its mutants)', () => {
    const lines = distinctiveSolutionLines(root, EXERCISES);
    const files = [...filesUnder('exercises', () => false), ...filesUnder('checker', (rel) => rel.startsWith(path.join('checker', 'mutants')))];
    const copies: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const [line, from] of lines) if (text.includes(line)) copies.push(`${file} has "${line}" from ${from}`);
    }
    expect(copies).toEqual([]);
  });
});
