/**
 * The exercise folders are what a student needs and no more: a README with the task, the API,
 * what the checks look for and a ladder of hints; starters with signatures whose bodies only throw
 * TODO; the solutions mirroring the starters file for file; self-contained check files; and no
 * line of a solution copied into what students get.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exerciseTitle, isCheckFileName, LAYOUT, loadLessons } from '../../tooling/course';
import { toPosix } from '../../tooling/files';
import { checkTitles } from '../grade/check-titles';
import { exportedValues } from '../grade/exports';
import { parseHints } from '../grade/hints';
import { childEnv } from '../grade/run-checks';
import { distinctiveSolutionLines } from './solution-lines';
import { ALL_EXERCISES, exercise, root } from './test-support';

/** The code files of an exercise folder: its check files (public, harness, hidden) are not code. */
const codeFiles = (dir: string) => fs.readdirSync(path.join(root, dir)).filter((n) => /\.(ts|py)$/.test(n) && !isCheckFileName(n)).sort();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const lessons = loadLessons(root).map((l) => l.id);

/** What the README of an exercise in each language must name among what its code may not use. */
const REFUSED = {
  typescript: ['child_process', 'createRequire', 'import()', 'eval', 'Symbol.for', 'globalThis[name]', 'process.getBuiltinModule', '@ts-ignore', '@ts-nocheck'],
  python: ['subprocess', 'multiprocessing', 'ctypes', 'importlib', 'os.system', 'eval', 'exec', '__import__'],
};

const PYTHON = '/usr/bin/python3';
/** Prints, as JSON, the functions of a Python file whose body (after its docstring) is more than one `raise` of a TODO. */
const PYTHON_BODIES_THAT_DO_SOMETHING = `
import ast, json, sys
source = open(sys.argv[1]).read()
found = []
for node in ast.walk(ast.parse(source)):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        documented = node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
        body = node.body[1:] if documented else node.body
        if not (len(body) == 1 and isinstance(body[0], ast.Raise) and "TODO" in ast.get_source_segment(source, body[0])):
            found.append("line " + str(node.lineno) + ": def " + node.name)
print(json.dumps(found))
`;

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

describe.each(ALL_EXERCISES.map((e) => e.id))('%s', (id) => {
  const e = exercise(id);

  it('has a record that names a lesson, the files the student edits, and the exercises it uses', () => {
    expect(lessons, `${e.record}: lesson`).toContain(e.lesson);
    expect(codeFiles(e.dir), `${e.record}: files`).toEqual([...e.files].sort());
    expect(e.uses.every((used) => used < id), 'an exercise uses only earlier ones').toBe(true);
  });

  it('has a README with the task, the API, what the checks look for, and at least three hints', () => {
    const readme = read(e.readme);
    expect(readme.split('\n')[0]).toBe(`# ${exerciseTitle(e)}`);
    for (const section of ['## Your task', '## The API', '## What the checks look for', '## What your code may use', '## Run the checks', '## Hints']) {
      expect(readme, section).toContain(`\n${section}\n`);
    }
    const hints = parseHints(readme);
    expect(hints.length).toBeGreaterThanOrEqual(3);
    hints.forEach((hint, i) => {
      expect(hint.title).toMatch(new RegExp(`^Hint ${i + 1}: `));
      expect(hint.body.length, hint.title).toBeGreaterThan(80);
    });
  });

  it('lists in its README what the checks look for, each check (public and hidden) names its item, and every item has a check', async () => {
    const section = /## What the checks look for\n([\s\S]*?)\n## /.exec(read(e.readme))?.[1] ?? '';
    const items = [...section.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(items.length, 'a numbered list').toBeGreaterThanOrEqual(3);
    expect(items, 'numbered 1, 2, 3 ...').toEqual(items.map((_, i) => i + 1));
    const files = [e.checks, e.hiddenChecks].map(toPosix);
    const titles = [...(await checkTitles(root, files, childEnv())).values()].flat();
    expect(titles.length).toBeGreaterThan(0);
    const named = titles.map((title) => Number(/^\[(\d+)\] /.exec(title.split(' > ').pop() ?? '')?.[1] ?? NaN));
    expect(titles.filter((_, i) => !items.includes(named[i])), 'checks that name no item of the list').toEqual([]);
    expect(items.filter((item) => !named.includes(item)), 'items no check enforces').toEqual([]);
  }, 120_000);

  it.runIf(e.language === 'typescript')('names in its record the values each starter exports, which the solution exports too', () => {
    for (const file of e.files) {
      expect(e.exports[file], `${e.record}: exports of ${file}`).toEqual(exportedValues(read(path.join(e.dir, file))));
      expect(exportedValues(read(path.join(e.solutionDir, file))), `${e.solutionDir}/${file}`).toEqual(expect.arrayContaining(e.exports[file]));
    }
  });

  it('says in its README what the code may import (its record) and what the grader refuses', () => {
    const section = /## What your code may use\n([\s\S]*?)\n## /.exec(read(e.readme))?.[1] ?? '';
    for (const allowed of [...e.imports, ...e.uses]) expect(section, allowed).toContain(`\`${allowed}\``);
    for (const refused of REFUSED[e.language]) {
      expect(section, refused).toContain(refused);
    }
  });

  it.runIf(e.language === 'typescript')('has starters with full signatures whose bodies only throw TODO', () => {
    for (const name of e.files) {
      expect(read(path.join(e.dir, name))).toMatch(new RegExp(`^/\\*\\*[\\s\\S]*?npm run grade -- ${e.number}`));
      expect(bodiesThatDoSomething(path.join(e.dir, name))).toEqual([]);
    }
  });

  it.runIf(e.language === 'python')('has Python starters with full signatures whose bodies only raise a TODO', () => {
    for (const name of e.files) {
      const file = path.join(root, e.dir, name);
      expect(read(path.join(e.dir, name))).toMatch(new RegExp(`^"""[\\s\\S]*?npm run grade -- ${e.number}`));
      expect(JSON.parse(execFileSync(PYTHON, ['-I', '-c', PYTHON_BODIES_THAT_DO_SOMETHING, file], { encoding: 'utf8' })), file).toEqual([]);
    }
  });

  it('has a solution with the same files as the starter, and its public and hidden checks', () => {
    expect(codeFiles(e.solutionDir)).toEqual(codeFiles(e.dir));
    expect(fs.existsSync(path.join(root, e.checks)), e.checks).toBe(true);
    expect(fs.existsSync(path.join(root, e.hiddenChecks)), e.hiddenChecks).toBe(true);
  });

  it.each(['checks', 'hiddenChecks'] as const)('has a self-contained %s file: vitest, node, the toolkit (netsim, broker, db, stream), fast-check, its exercise’s shared harness (and, for the hidden checks, their own), the canaries, the property helper and the code under test only', (kind) => {
    const importsOf = (file: string) => [...read(file).matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]);
    // Each file's specifiers as paths from the root, so that one rule fits the public, hidden and harness files.
    const fromRoot = (file: string, specifier: string) => (specifier.startsWith('.') ? toPosix(path.join(path.dirname(file), specifier)) : specifier);
    const withoutExtension = (file: string) => toPosix(file.replace(/\.ts$/, ''));
    // The hidden checks may have a harness of their own, beside them; the public checks may not import it.
    const harnesses = kind === 'checks' ? [e.harness] : [e.hiddenHarness, e.harness];
    const allowed = (specifier: string) =>
      /^(vitest|fast-check|node:[a-z_/]+|@submission\/\d{2}-[a-z-]+\/[a-z-]+)$/.test(specifier) ||
      /^toolkit\/(netsim|broker|db|stream)$/.test(specifier) ||
      [...harnesses.map(withoutExtension), `${LAYOUT.checkSupport}/canary`, `${LAYOUT.checkSupport}/netsim-trace`, `${LAYOUT.checkSupport}/property`].includes(specifier);
    const specifiers = importsOf(e[kind]).map((s) => fromRoot(e[kind], s));
    // The harnesses are held to the same rule.
    for (const harness of harnesses) {
      if (specifiers.includes(withoutExtension(harness))) specifiers.push(...importsOf(harness).map((s) => fromRoot(harness, s)));
    }
    expect(specifiers.filter((s) => !allowed(s)), `${e[kind]} imports`).toEqual([]);
    // Checks of another language run the graded folder's files themselves (their harness says how).
    if (e.language === 'typescript') expect(specifiers.some((s) => s.startsWith(`@submission/${id}/`))).toBe(true);
  });
});

describe('what students get', () => {
  it('contains no line of logic copied from a solution (the starters and READMEs, the grader, the public checks)', () => {
    const lines = distinctiveSolutionLines(root, ALL_EXERCISES);
    const files = [LAYOUT.exercises, LAYOUT.grader, LAYOUT.checkSupport].flatMap((dir) => filesUnder(dir, () => false));
    const copies: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const [line, from] of lines) if (text.includes(line)) copies.push(`${file} has "${line}" from ${from}`);
    }
    expect(copies).toEqual([]);
  });
});
