/**
 * The type-checker kept warm between gradings, for re-grades after a save (`--watch`, a notebook's
 * `grade()`): type-check.ts starts this file in a child process of its own and sends it one
 * message per type-check, the tsconfig a cold `tsc -p` would get. It answers with what that `tsc
 * --pretty false` would print of the files in the folders asked about. Each type-check is a new
 * program (its imports resolved anew), but a file parsed before whose modification time and size
 * are unchanged (lib, @types, the toolkit) is not parsed again, as a language service's document
 * registry does: only the edited files are parsed, and only the files asked about are checked.
 * @module
 */
import path from 'node:path';
import ts from 'typescript';
import { findRoot } from '../../tooling/course';
import { fileStamp } from '../../tooling/files';
import { configOf, type TypeRequest } from './type-check';

/** A parsed file and the stamp (modification time, size) of the file it was parsed from. */
const parsed = new Map<string, { stamp: string; file: ts.SourceFile }>();
/** The compiler options the files were parsed with: other options, and they are parsed anew. */
let parsedWith = '';

/** What `tsc -p` of this config prints with `--pretty false`, of the files in `dirs`. */
function check({ root, config, dirs }: TypeRequest): string {
  const { options, fileNames, errors } = ts.parseJsonConfigFileContent(config.json, ts.sys, config.dir, undefined, config.file);
  if (JSON.stringify(options) !== parsedWith) parsed.clear();
  parsedWith = JSON.stringify(options);
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, fresh) => {
    const now = fileStamp(fileName);
    const known = parsed.get(fileName);
    if (known && !fresh && now !== undefined && known.stamp === now) return known.file;
    // Stamped before reading: a save in between is read anew next time.
    const file = read(fileName, languageVersion, onError, fresh);
    if (file && now !== undefined) parsed.set(fileName, { stamp: now, file });
    return file;
  };
  host.getCurrentDirectory = () => root;
  const program = ts.createProgram({ rootNames: fileNames, options, host, configFileParsingDiagnostics: errors });
  // In tsc's order (its emitFilesAndReportErrors): each stage only when the ones before found nothing.
  const diagnostics: ts.Diagnostic[] = [...program.getSyntacticDiagnostics()];
  if (diagnostics.length === 0) diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
  if (diagnostics.length === 0) {
    // Of the files asked about only: what tsc finds elsewhere, the grader would not show.
    for (const file of program.getSourceFiles()) if (dirs.some((dir) => file.fileName.startsWith(dir))) diagnostics.push(...program.getSemanticDiagnostics(file));
  }
  diagnostics.unshift(...program.getConfigFileParsingDiagnostics());
  return ts.formatDiagnostics(ts.sortAndDeduplicateDiagnostics(diagnostics), host);
}

// Before the first request: the libraries every type-check reads, parsed and bound (a program of no files).
const root = findRoot(__dirname);
check({ root, config: { json: configOf(root, []), dir: root, file: path.join(root, 'tsconfig.json') }, dirs: [] });

process.on('message', (request: TypeRequest) => process.send?.({ output: check(request) }));
// The grader gone (even killed), this goes too.
process.on('disconnect', () => process.exit(0));
