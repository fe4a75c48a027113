/**
 * The rules every submission's code follows, checked on its syntax tree before any of it runs.
 *
 * The grader must see what the code loads and type-check all of it: code that loads modules by
 * a computed name, evaluates strings as code, reaches into the runtime's internals or silences
 * the type-checker could reach the test framework or hide mistakes, so it is refused with a
 * message that says what is not allowed and why. The same rules are stated in every exercise
 * README ("What your code may use"), and the reference solutions need none of what they forbid.
 *
 * What a module may import (import-rules.ts) is checked here too, for every import the code
 * states, before anything runs; the import rules check again where vite resolves each import.
 * @module
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { toPosix } from '../../tooling/files';
import { importRefusal, type GradedFolder, type ImportTarget } from './import-rules';

/** One refused construct, with where it is. */
export interface RuleBreak {
  /** `file:line:column`, relative to the root. */
  at: string;
  message: string;
}

const WHY_LOADING = 'the grader needs to see what your code loads';
const WHY_INTERNALS = 'it reaches into the runtime or the test framework, whose results the grade must be able to trust';

/** Calls refused by name: `eval(...)`, `require(...)` and their kin. */
const REFUSED_CALLS: Record<string, string> = {
  eval: `eval() is not allowed: it runs a string as code, and ${WHY_LOADING}`,
  require: `require() is not allowed: use import, because ${WHY_LOADING}`,
  createRequire: `createRequire() is not allowed: use import, because ${WHY_LOADING}`,
  Function: `Function() is not allowed: it builds code from a string, and ${WHY_LOADING}`,
};

/** `object.property` pairs refused, with the reason. */
const REFUSED_MEMBERS: Record<string, string> = {
  'process.binding': `process.binding() is not allowed: ${WHY_INTERNALS}`,
  'process._linkedBinding': `process._linkedBinding() is not allowed: ${WHY_INTERNALS}`,
  'process.dlopen': `process.dlopen() is not allowed: it loads native code, and ${WHY_LOADING}`,
  'Symbol.for': `Symbol.for() is not allowed: ${WHY_INTERNALS} (the test framework keeps its state under such symbols)`,
  'Object.getOwnPropertySymbols': `Object.getOwnPropertySymbols() is not allowed: ${WHY_INTERNALS}`,
  'Reflect.ownKeys': `Reflect.ownKeys() is not allowed: ${WHY_INTERNALS}`,
  'process.getBuiltinModule': `process.getBuiltinModule() is not allowed: import the module, because ${WHY_LOADING}`,
  'process.mainModule': `process.mainModule is not allowed: it leads to require(), and ${WHY_LOADING}`,
};

/**
 * Objects whose properties lead to the runtime's or the test framework's internals: a property of
 * one of them may only be named as written (`Object.keys`, `process['env']`), never computed
 * (`Object['getOwnProperty' + 'Symbols']`), or the rules above could not see which it is.
 */
const WELL_KNOWN_OBJECTS = new Set(['Object', 'Reflect', 'process', 'Symbol', 'Function', 'Proxy', 'globalThis', 'global', 'self', 'window']);

/** Names the test framework uses for its globals; code that names them is reaching for them. */
const FRAMEWORK_NAME = /(?<![a-z])(?:vitest|jest|chai|tinyspy)(?![a-z])/i;

/** A comment that TypeScript reads as an order to ignore errors (as it recognizes them). */
const SUPPRESSION = /^(?:\/\/\/?|\/\*\*?)\s*@ts-(nocheck|ignore|expect-error)\b/;

/** An import the code states (type-only imports left out: they are gone when the code runs). */
interface StatedImport {
  specifier: string;
  /** Position in the file's text. */
  position: number;
}

/** The module a non-type import, export-from or literal import() of a file names. */
function statedImport(node: ts.Node): StatedImport | undefined {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.importClause;
    const typeOnly =
      clause?.isTypeOnly ||
      (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
    return typeOnly ? undefined : { specifier: node.moduleSpecifier.text, position: node.moduleSpecifier.getStart() };
  }
  if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
    return { specifier: node.moduleSpecifier.text, position: node.moduleSpecifier.getStart() };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
    return { specifier: node.arguments[0].text, position: node.arguments[0].getStart() };
  }
  return undefined;
}

/** What a stated import names, judged from the importing file's place: a built-in, a file, a package. */
function importTarget(from: string, specifier: string): ImportTarget {
  if (isBuiltin(specifier)) return { builtin: specifier };
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const base = path.resolve(path.dirname(from), specifier);
    const candidates = [base, `${base}.ts`, `${base}.mts`, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')];
    return { file: candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile()) ?? base };
  }
  const parts = specifier.split('/');
  return { package: (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/') };
}

/** The refused constructs in one file's text, and the imports it states. */
export function ruleBreaks(fileName: string, text: string): RuleBreak[] {
  return readCode(fileName, text).breaks;
}

function readCode(fileName: string, text: string): { breaks: RuleBreak[]; imports: (StatedImport & { at: string })[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: RuleBreak[] = [];
  const imports: (StatedImport & { at: string })[] = [];
  const report = (position: number, message: string) => {
    const { line, character } = source.getLineAndCharacterOfPosition(position);
    found.push({ at: `${fileName}:${line + 1}:${character + 1}`, message });
  };

  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const isComment = token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia;
    const suppression = isComment ? SUPPRESSION.exec(scanner.getTokenText()) : null;
    if (suppression) report(scanner.getTokenStart(), `// @ts-${suppression[1]} is not allowed: it hides type errors, and code that does not type-check gets no points; fix the error instead`);
  }

  const visit = (node: ts.Node) => {
    const stated = statedImport(node);
    if (stated) {
      const { line, character } = source.getLineAndCharacterOfPosition(stated.position);
      imports.push({ ...stated, at: `${fileName}:${line + 1}:${character + 1}` });
    }
    if (ts.isImportEqualsDeclaration(node)) report(node.getStart(), REFUSED_CALLS.require);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (!specifier || !ts.isStringLiteralLike(specifier)) report(node.getStart(), `import() of a computed name is not allowed: write the module's name as a string, because ${WHY_LOADING}`);
    }
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text in REFUSED_CALLS) {
      report(node.getStart(), REFUSED_CALLS[node.expression.text]);
    }
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isConstructorProperty(node.expression)) {
      report(node.getStart(), `calling a .constructor is not allowed: on a function it builds code from a string, and ${WHY_LOADING}`);
    }
    const object = ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ? unwrap(node.expression) : undefined;
    if (object && ts.isIdentifier(object) && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))) {
      // `process.binding` and `process['binding']` are the same property.
      const member = ts.isPropertyAccessExpression(node) ? node.name.text : literalName(node.argumentExpression);
      const message = member === undefined ? undefined : REFUSED_MEMBERS[`${object.text}.${member}`];
      if (message) report(node.getStart(), message);
      else if (member === undefined && isGlobalObject(object)) report(node.getStart(), `globalThis[...] with a computed name is not allowed: ${WHY_INTERNALS}`);
      else if (member === undefined && WELL_KNOWN_OBJECTS.has(object.text)) {
        report(node.getStart(), `${object.text}[...] with a computed name is not allowed: write the property's name, because ${WHY_INTERNALS}`);
      }
    }
    // `const { binding } = process`: the same properties, taken apart.
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && ts.isIdentifier(unwrap(node.initializer))) {
      const objectName = (unwrap(node.initializer) as ts.Identifier).text;
      for (const element of node.name.elements) {
        const key = element.propertyName ?? (ts.isIdentifier(element.name) ? element.name : undefined);
        const member = key === undefined ? undefined : ts.isIdentifier(key) || ts.isPrivateIdentifier(key) ? key.text : ts.isComputedPropertyName(key) ? literalName(key.expression) : literalName(key);
        const message = member === undefined ? undefined : REFUSED_MEMBERS[`${objectName}.${member}`];
        if (message) report(element.getStart(), message);
        else if (member === undefined && WELL_KNOWN_OBJECTS.has(objectName)) {
          report(element.getStart(), `${objectName}[...] with a computed name is not allowed: write the property's name, because ${WHY_INTERNALS}`);
        }
      }
    }
    const name = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text : ts.isStringLiteralLike(node) ? node.text : undefined;
    const inImport = ts.isStringLiteralLike(node) && (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent));
    if (name !== undefined && !inImport && FRAMEWORK_NAME.test(name)) {
      report(node.getStart(), `"${name}" names the test framework: ${WHY_INTERNALS}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { breaks: found, imports };
}

/** The expression inside parentheses and type assertions: `(globalThis as any)` is `globalThis`. */
function unwrap(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) {
    node = node.expression;
  }
  return node;
}

/** The text of a property name written as a literal (`'binding'`, `` `binding` ``, `0`), or undefined when it is computed. */
function literalName(node: ts.Node): string | undefined {
  const inner = ts.isExpression(node) ? unwrap(node) : node;
  if (ts.isStringLiteralLike(inner) || ts.isNumericLiteral(inner)) return inner.text;
  return undefined;
}

function isConstructorProperty(node: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'constructor';
  return ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'constructor';
}

function isGlobalObject(node: ts.Expression): boolean {
  return ts.isIdentifier(node) && ['globalThis', 'global', 'self', 'window'].includes(node.text);
}

const LOCAL_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The files of a submission folder the code loads: `files`, and the local files they import, in that folder. */
function codeClosure(dir: string, files: string[]): string[] {
  const seen = new Set<string>();
  const todo = files.map((name) => path.join(dir, name));
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file) || !fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
    seen.add(file);
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(LOCAL_IMPORT)) {
      const base = path.resolve(path.dirname(file), specifier);
      const target = [base, `${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      if (target && target.startsWith(dir + path.sep)) todo.push(target);
    }
  }
  return [...seen].sort();
}

/**
 * The refused constructs and imports in a submission's TypeScript files (those its record names,
 * and the files of its folder they import).
 * @param dirOf the folder graded for another exercise (for the exercises it `uses`)
 */
export function checkCodeRules(root: string, graded: GradedFolder, dirOf: (id: string) => string | undefined): RuleBreak[] {
  return codeClosure(graded.dir, graded.exercise.files.filter((name) => name.endsWith('.ts'))).flatMap((file) => {
    const { breaks, imports } = readCode(toPosix(path.relative(root, file)), fs.readFileSync(file, 'utf8'));
    const refused = imports.flatMap(({ specifier, at }) => {
      const refusal = importRefusal(root, graded, importTarget(file, specifier), dirOf);
      return refusal ? [{ at, message: `imports "${specifier}" ${refusal}` }] : [];
    });
    return [...breaks, ...refused];
  });
}
