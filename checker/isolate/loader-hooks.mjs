/* global URL */
/**
 * Module loader hooks of the submission's process (host.ts), after tsx's:
 * - TypeScript loads as ES modules, as vitest loads it in the checks' process (the workbook's
 *   package.json says CommonJS, for the notebooks): top-level `await` and `import.meta` work;
 * - a module of the submission imported with `?generation=N` in its URL passes the generation on
 *   to the modules it imports (but packages), so that a new generation loads all of them afresh,
 *   as `vi.resetModules()` would in the checks' process;
 * - such a module still has `__filename` and `__dirname`, as vitest gives them.
 * @module
 */

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/')) return resolved;
  const url = new URL(resolved.url);
  // tsx marks a TypeScript file of a CommonJS package for its own CommonJS loading (in the path and
  // the query): the file itself, as an ES module.
  const file = decodeURIComponent(url.pathname).split('?')[0];
  if (/\.[cm]?ts$/.test(file) && resolved.format === 'commonjs') {
    url.pathname = file;
    url.search = '';
    resolved.format = 'module';
  }
  const generation = context.parentURL?.startsWith('file:') ? new URL(context.parentURL).searchParams.get('generation') : null;
  if (generation) url.searchParams.set('generation', generation);
  return { ...resolved, url: url.href };
}

/**
 * `__filename` and `__dirname` in a module of the workbook loaded as an ES module (the toolkit's
 * `createRequire(__filename)`), as vitest gives them in the checks' process: declared on the
 * module's first line, so that no line moves.
 * @type {import('node:module').LoadHook}
 */
export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (loaded.format !== 'module' || !url.startsWith('file:') || url.includes('/node_modules/') || loaded.source === undefined) return loaded;
  const source = String(loaded.source);
  if (!/\b__(file|dir)name\b/.test(source) || /\b(const|let|var)\s+__(file|dir)name\b/.test(source)) return loaded;
  const file = decodeURIComponent(new URL(url).pathname);
  const directory = file.slice(0, file.lastIndexOf('/'));
  return { ...loaded, source: `const __filename = ${JSON.stringify(file)}, __dirname = ${JSON.stringify(directory)}; ${source}` };
}
