// The workbook's layering and its one source of paths:
// - the student's grader (checker/grade) imports nothing of the instructor's gradebook
//   (checker/class) or of the proofs (checker/proof); the toolkit, which lessons and exercises
//   use, imports nothing of the tooling, the checker, the site or the scripts; the tooling imports
//   nothing of the checker, the site or the scripts;
// - no code rebuilds a path of the workbook's layout from folder names of its own: paths come
//   from the manifest (tooling/course.ts).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findRoot, LAYOUT } from '../tooling/course';
import { toPosix } from '../tooling/files';

const root = findRoot(__dirname);

/** Folders whose code is data for the checks (starters, public checks, solutions, hidden checks, mutants, planted submissions, the checks' shared helpers), not tools. */
const NOT_TOOLS = [LAYOUT.exercises, LAYOUT.solutions, LAYOUT.fixtures, LAYOUT.checkSupport];

/** The TypeScript files of the workbook, relative to the root, with forward slashes. */
function sourceFiles(): string[] {
  const skip = new Set(['node_modules', '.cache', '_site', '.git']);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !skip.has(entry.name) && !entry.name.startsWith('.')) walk(rel);
      else if (entry.isFile() && /\.m?ts$/.test(entry.name)) found.push(rel);
    }
  };
  walk('');
  return found.sort();
}

const files = sourceFiles();
const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);

/** The workbook files `file` imports (relative specifiers only), relative to the root. */
function localImports(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)
            ? node.argument.literal.text
            : undefined;
    if (specifier?.startsWith('.')) found.push(toPosix(path.normalize(path.join(path.dirname(file), specifier))));
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

const under = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);

describe('layering', () => {
  const checker = path.dirname(LAYOUT.grader);
  const rules: [string, string[]][] = [
    [LAYOUT.grader, [LAYOUT.gradebook, LAYOUT.proof]],
    [LAYOUT.toolkit, [LAYOUT.tooling, checker, LAYOUT.site, LAYOUT.scripts, LAYOUT.tests]],
    [LAYOUT.tooling, [checker, LAYOUT.site, LAYOUT.scripts, LAYOUT.tests]],
    [LAYOUT.site, [checker, LAYOUT.scripts]],
  ];
  it.each(rules)('%s imports nothing from %s', (from, forbidden) => {
    const wrong = files
      .filter((file) => under(file, from))
      .flatMap((file) => localImports(file).filter((target) => forbidden.some((dir) => under(target, dir))).map((target) => `${file} imports ${target}`));
    expect(wrong).toEqual([]);
  });
});

describe('paths', () => {
  const firstSegments = [...new Set(Object.values(LAYOUT).map((p) => p.split('/')[0]))];
  /** A literal that names a folder of the layout, as a path.join argument or a path string. */
  const namesLayout = (text: string) => firstSegments.some((segment) => text === segment || text.startsWith(`${segment}/`));
  /** Paths that only the layout has: no site URL or message starts with these. */
  const layoutOnly = (text: string) => /^(checker|solutions)(\/|$)/.test(text);

  it('come from the manifest: no tool builds one from folder names of its own', () => {
    const found: string[] = [];
    // Configuration files at the root (vitest.config.mts) name folders as tsconfig.json does.
    const tools = files.filter((f) => f.includes('/') && f !== `${LAYOUT.tooling}/course.ts` && !NOT_TOOLS.some((dir) => under(f, dir)));
    for (const file of tools) {
      const source = parse(file);
      const report = (node: ts.Node, text: string) => found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} "${text}"`);
      const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportTypeNode(node)) return;
        if (ts.isCallExpression(node)) {
          const callee = node.expression.getText(source);
          // path.join(root, 'solutions', id): a path of the workbook built by hand.
          if (/^path\.(posix\.)?(join|resolve)$/.test(callee) && /root/i.test(node.arguments[0]?.getText(source) ?? '')) {
            for (const arg of node.arguments) if (ts.isStringLiteralLike(arg) && namesLayout(arg.text)) report(arg, arg.text);
          }
          if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return;
        }
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && layoutOnly(node.text)) report(node, node.text);
        if (ts.isTemplateExpression(node) && layoutOnly(node.head.text)) report(node, node.head.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
