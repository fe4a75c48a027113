// Faster kernel starts. The launcher (launch.cjs) calls this before it starts tslab.
//
// Every kernel started from nothing: tslab compiled the TypeScript compiler, built a program of
// every type package it could find, and compiled the toolkit again, about 5 CPU-seconds before the
// first line of a lesson ran. A cold site build starts one kernel per lesson. Three changes, none
// of which changes what a cell prints:
//  - node's globals only: tslab sets no `types`, so it parsed and bound all 45 packages under
//    node_modules/@types (d3, chai, mdast... that the workbook's tools bring along). The workbook's
//    tsconfig.json names node's only; so does the kernel now. An import still finds its package's
//    types (pg's, say) through module resolution.
//  - the compiler's machine code kept on disk (a V8 code cache, which node 20 does not keep itself);
//  - tslab's second compile step (ES module to CommonJS, `ts.transpileModule`) kept on disk, keyed
//    by its input: every kernel converted the same toolkit files again.
// The caches live in the workbook's .cache/kernel, and are safe to delete. WORKBOOK_KERNEL_SPEEDUPS=off
// starts tslab as it comes (the site bench's anchor).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const sha256 = (...parts) => {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};

// sha256 and writeAtomic stand here, not from tooling/cache.ts and tooling/files.ts: those are
// TypeScript, and the kernel's node loads this file before there is anything to compile them.

/** Writes so that a kernel starting beside this one never reads half a file. */
function writeAtomic(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written (a read-only checkout) only makes the next start slower.
  }
}

const readOrUndefined = (file) => {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
};

/**
 * Loads a CommonJS file as `require` would, with V8's code cache kept in `cacheDir`. The cache is
 * written when the kernel exits, so that it holds every function the kernel compiled.
 */
function requireWithCodeCache(file, cacheDir) {
  const stat = fs.statSync(file);
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${sha256(file, `${stat.size}:${stat.mtimeMs}`, process.version, process.arch)}.v8`);
  const cachedData = readOrUndefined(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = loaded;
  try {
    script.runInThisContext().call(loaded.exports, loaded.exports, (id) => loaded.require(id), loaded, file, path.dirname(file));
  } catch (error) {
    delete require.cache[file]; // so that tslab loads it afresh
    throw error;
  }
  loaded.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeAtomic(cacheFile, script.createCachedData()));
  return loaded;
}

/**
 * `ts` with a `transpileModule` that remembers its outputs in `cacheDir`. The compiler's own
 * exports cannot be replaced (they are getters), so tslab is given a copy of them.
 */
function withTranspileCache(ts, cacheDir) {
  const copy = {};
  for (const key of Object.keys(ts)) Object.defineProperty(copy, key, { enumerable: true, configurable: true, get: () => ts[key] });
  const transpileModule = (input, options) => {
    const file = path.join(cacheDir, `${sha256(ts.version, JSON.stringify(options), input)}.js`);
    const cached = readOrUndefined(file);
    if (cached !== undefined) return { outputText: cached.toString('utf8'), diagnostics: [], sourceMapText: undefined };
    const output = ts.transpileModule(input, options);
    if (output.diagnostics.length === 0 && output.sourceMapText === undefined) writeAtomic(file, output.outputText);
    return output;
  };
  Object.defineProperty(copy, 'transpileModule', { enumerable: true, value: transpileModule });
  return copy;
}

/** Prepares the TypeScript compiler that the tslab at `tslabMain` will load, for the workbook at `root`. */
function speedUpKernel(root, tslabMain) {
  const cacheDir = path.join(root, '.cache', 'kernel');
  const compilerFile = require.resolve('@tslab/typescript-for-tslab', { paths: [path.dirname(tslabMain)] });
  const compiler = requireWithCodeCache(compilerFile, path.join(cacheDir, 'code'));
  const ts = compiler.exports;
  const typeRoot = path.join(root, 'node_modules', '@types');
  const listDirectories = ts.sys.getDirectories;
  ts.sys.getDirectories = (dir) => {
    const names = listDirectories(dir);
    return path.resolve(dir) === typeRoot ? names.filter((name) => name === 'node') : names;
  };
  compiler.exports = withTranspileCache(ts, path.join(cacheDir, 'transpiled'));
}

module.exports = { speedUpKernel };
