/**
 * What a submission's files export, read from their syntax trees: a misnamed or missing export is
 * said plainly before any check runs ("server.ts does not export createMessageServer (it exports:
 * createServer)"), rather than as the "... is not a function" of every check that uses it.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Exercise } from '../../tooling/course';

const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * The values a TypeScript file exports (functions, classes, variables, enums; not types), or
 * undefined when it re-exports a whole module (`export * from`), whose names it cannot tell.
 */
export function exportedValues(text: string): string[] | undefined {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      if (!statement.exportClause) return undefined;
      if (ts.isNamedExports(statement.exportClause)) names.push(...statement.exportClause.elements.filter((e) => !e.isTypeOnly).map((e) => e.name.text));
    } else if (ts.isExportAssignment(statement)) {
      names.push('default');
    } else if (isExported(statement)) {
      if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) names.push(statement.name.text);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      }
    }
  }
  return names;
}

/** What a submission is missing of the exports its record names, one sentence per file, or nothing. */
export function missingExports(exercise: Exercise, dir: string): string[] {
  return Object.entries(exercise.exports).flatMap(([file, expected]) => {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) return [`${file} is missing: the checks load it`];
    const found = exportedValues(fs.readFileSync(full, 'utf8'));
    const missing = found === undefined ? [] : expected.filter((name) => !found.includes(name));
    if (missing.length === 0) return [];
    const names = missing.map((name) => `\`${name}\``).join(', ');
    return [`${file} does not export ${names} (it exports: ${found?.length ? found.map((name) => `\`${name}\``).join(', ') : 'nothing'})`];
  });
}
