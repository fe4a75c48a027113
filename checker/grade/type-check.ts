/**
 * Type-checks the code under test with the project's tsconfig, in a separate `tsc` process that
 * runs while vitest runs the checks. Vitest only strips types, so without this a submission full
 * of type errors could still pass.
 *
 * Results are cached in .cache/grade by the content of the files (and of the local files they
 * import): re-grading unchanged code costs no type-check.
 *
 * @module
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT } from '../../tooling/course';
import { toPosix, writeFileAtomic } from '../../tooling/files';
import { killTree } from '../../tooling/processes';

/** One compiler error. */
export interface TypeProblem {
  /** Relative to the repository root ('' for an error that belongs to no file). */
  file: string;
  line: number;
  column: number;
  /** E.g. "TS2322". */
  code: string;
  message: string;
}

/** Part of every fingerprint: bump it when the way problems are found changes. */
const CACHE_VERSION = '3';

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  return [base, `${base}.ts`, `${base}.mts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** The files and every local file they import, directly or not. */
function localClosure(files: string[]): string[] {
  const seen = new Set<string>();
  const todo = [...files];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)) {
      const target = resolveLocal(file, match[1]);
      if (target) todo.push(target);
    }
  }
  return [...seen].sort();
}

/** The settings a submission is type-checked with: those students edit under (exercises/tsconfig.json). */
const submissionConfig = (root: string) => path.join(root, LAYOUT.exercises, 'tsconfig.json');

function fingerprint(root: string, files: string[]): string {
  const hash = createHash('sha256');
  const typescript = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string };
  hash.update(CACHE_VERSION).update(typescript.version);
  for (const config of [path.join(root, 'tsconfig.json'), submissionConfig(root)]) hash.update(fs.readFileSync(config));
  for (const file of localClosure(files)) hash.update(file).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Parses tsc's `--pretty false` output: `file(line,col): error TSnnnn: message`, continued by indented lines. */
export function parseTscOutput(output: string): TypeProblem[] {
  const problems: TypeProblem[] = [];
  for (const line of output.split(/\r?\n/)) {
    const located = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    const global = /^error (TS\d+): (.*)$/.exec(line);
    if (located) {
      const [, file, row, column, code, message] = located;
      problems.push({ file: toPosix(file), line: Number(row), column: Number(column), code, message });
    } else if (global) {
      problems.push({ file: '', line: 0, column: 0, code: global[1], message: global[2] });
    } else if (/^\s+\S/.test(line) && problems.length > 0) {
      problems[problems.length - 1].message += `\n${line.trimEnd()}`;
    }
  }
  return problems;
}

/** What a type-check of one group found: its problems, or why it did not finish. */
export interface TypeCheck {
  problems: TypeProblem[];
  /** Set when tsc did not finish (killed, crashed, over its time limit): never a clean result. */
  unfinished?: string;
}

/** How tsc is run: the program and its time limit (the proofs plant a tsc that fails). */
export interface TscOptions {
  /** The tsc script run by node; default this workbook's TypeScript. */
  tsc?: string;
  /** Default 120 s. */
  timeLimitMs?: number;
  /** Keep a type-checker warm between type-checks of this process (type-server.ts), for re-grades after a save. */
  warm?: boolean;
}

/** What the warm type-checker (type-server.ts) is asked: a tsconfig as `tsc -p` would read it, and the folders whose problems count (absolute, ending with `/`). */
export interface TypeRequest {
  root: string;
  config: { json: object; dir: string; file: string };
  dirs: string[];
}

/** What a run of tsc found. */
type TscRun = { problems: TypeProblem[]; unfinished?: string };

/** The tsconfig of a type-check of `files`: the submission's settings, no output, these files only. */
export const configOf = (root: string, files: string[]) => ({ extends: submissionConfig(root), compilerOptions: { noEmit: true }, include: [], files });

/** The warm type-checker, started by the first warm type-check. */
let warmTsc: ChildProcess | undefined;

/** The warm type-checker, started when there is none. */
function warmTypeChecker(root: string): ChildProcess {
  if (!warmTsc?.connected) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, LAYOUT.grader, 'type-server.ts')], { cwd: root, detached: process.platform !== 'win32', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    process.once('exit', () => killTree(child.pid));
    warmTsc = child;
  }
  return warmTsc;
}

/** Type-checks in the warm type-checker; one that overruns the time limit is killed, as a cold tsc. */
function runWarmTsc(root: string, files: string[], limitMs: number): Promise<TscRun> {
  const child = warmTypeChecker(root);
  const dir = path.join(root, LAYOUT.cache, 'grade');
  const dirs = [...new Set(files.map((file) => `${toPosix(path.dirname(file))}/`))];
  const request: TypeRequest = { root, config: { json: configOf(root, files), dir, file: path.join(dir, 'tsconfig.json') }, dirs };
  return new Promise((resolve) => {
    const finish = (run: TscRun) => {
      clearTimeout(timer);
      child.off('message', onAnswer);
      child.off('close', onClose);
      if (run.unfinished) {
        killTree(child.pid);
        if (warmTsc === child) warmTsc = undefined;
      }
      resolve(run);
    };
    const onAnswer = ({ output }: { output: string }) => finish({ problems: parseTscOutput(output) });
    const onClose = (code: number | null, signal: string | null) => finish({ problems: [], unfinished: signal ? `it was stopped by ${signal}` : `it crashed with exit code ${String(code)}` });
    const timer = setTimeout(() => finish({ problems: [], unfinished: `it took longer than ${limitMs / 1000} s` }), limitMs);
    child.on('message', onAnswer);
    child.once('close', onClose);
    child.send(request);
  });
}

/** Runs tsc once; a run that did not finish by itself with its usual exit codes is said so. */
function runTsc(root: string, files: string[], options: TscOptions): Promise<TscRun> {
  const limitMs = options.timeLimitMs ?? 120_000;
  if (options.warm) return runWarmTsc(root, files, limitMs);
  const dir = path.join(root, LAYOUT.cache, 'grade');
  fs.mkdirSync(dir, { recursive: true });
  // The generated tsconfig must live inside the repository: tsc finds @types/node from there.
  const config = path.join(dir, `tsconfig.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(config, JSON.stringify(configOf(root, files)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.tsc ?? path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--pretty', 'false'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: limitMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        fs.rmSync(config, { force: true });
        const problems = parseTscOutput(`${stdout}\n${stderr}`);
        // tsc exits 0 when clean, 1 or 2 with errors it prints; anything else is no verdict.
        if (error?.killed) resolve({ problems, unfinished: `it took longer than ${limitMs / 1000} s` });
        else if (error?.signal) resolve({ problems, unfinished: `it was stopped by ${error.signal}` });
        else if (error && (problems.length === 0 || ![1, 2].includes(Number(error.code)))) resolve({ problems, unfinished: `it crashed with exit code ${String(error.code)}` });
        else resolve({ problems });
      },
    );
  });
}

interface Cache {
  /** Fingerprint → the problems found, most recent last. */
  entries: Record<string, TypeProblem[]>;
}

const CACHE_SIZE = 200;

function readCache(file: string): Cache {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Cache;
  } catch {
    return { entries: {} };
  }
}

function writeCache(file: string, updates: Record<string, TypeProblem[]>): void {
  const cache = readCache(file); // re-read: another grader may have written meanwhile
  const entries = Object.entries({ ...cache.entries, ...updates }).slice(-CACHE_SIZE);
  writeFileAtomic(file, JSON.stringify({ entries: Object.fromEntries(entries) }));
}

const cacheFileOf = (root: string) => path.join(root, LAYOUT.cache, 'grade', 'type-check.json');

/** What the cache knows, without running tsc: the groups (as for {@link typeCheck}) whose files were checked before as they are now. */
export function cachedTypeChecks(root: string, groups: Record<string, string[]>): Map<string, TypeCheck> {
  const cache = readCache(cacheFileOf(root));
  const known = new Map<string, TypeCheck>();
  for (const [id, files] of Object.entries(groups)) {
    const problems = cache.entries[fingerprint(root, files)];
    if (problems) known.set(id, { problems });
  }
  return known;
}

/**
 * Type-checks each group of files (one group per exercise) and returns what was found in each.
 * Only finished checks are cached.
 * @param groups exercise id → absolute paths of its .ts files.
 */
export async function typeCheck(root: string, groups: Record<string, string[]>, options: TscOptions = {}): Promise<Map<string, TypeCheck>> {
  // Started even when the cache answers: it reads the libraries meanwhile, for the first check after an edit.
  if (options.warm) warmTypeChecker(root);
  const cacheFile = cacheFileOf(root);
  const results = cachedTypeChecks(root, groups);
  const toCheck = new Map<string, string>(); // id → fingerprint
  for (const [id, files] of Object.entries(groups)) if (!results.has(id)) toCheck.set(id, fingerprint(root, files));
  if (toCheck.size === 0) return results;

  const updates: Record<string, TypeProblem[]> = {};
  let pending = [...toCheck.keys()];
  while (pending.length > 0) {
    const { problems, unfinished } = await runTsc(root, pending.flatMap((id) => groups[id]), options);
    if (unfinished) {
      for (const id of pending) results.set(id, { problems: [], unfinished });
      break;
    }
    const byId = new Map(pending.map((id) => [id, problemsOf(root, groups[id], problems)]));
    // tsc reports no type errors at all once any file has a syntax error: the groups without one
    // are checked again on their own.
    const syntaxBroken = pending.filter((id) => (byId.get(id) as TypeProblem[]).some(isSyntaxError));
    const settled = syntaxBroken.length === 0 ? pending : syntaxBroken;
    for (const id of settled) {
      results.set(id, { problems: byId.get(id) as TypeProblem[] });
      updates[toCheck.get(id) as string] = byId.get(id) as TypeProblem[];
    }
    pending = pending.filter((id) => !settled.includes(id));
  }
  writeCache(cacheFile, updates);
  return results;
}

/** Syntax errors are TS1xxx. */
export const isSyntaxError = (problem: TypeProblem) => /^TS1\d{3}$/.test(problem.code);

/** The problems of tsc's output that belong to a group: in its folders, or in no file at all. */
function problemsOf(root: string, files: string[], problems: TypeProblem[]): TypeProblem[] {
  const dirs = [...new Set(files.map((file) => toPosix(path.relative(root, path.dirname(file)))))];
  return problems.filter((p) => p.file === '' || dirs.some((dir) => p.file.startsWith(`${dir}/`)));
}
