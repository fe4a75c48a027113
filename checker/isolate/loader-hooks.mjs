/* global URL */
/**
 * Module loader hooks of the submission's process (host.ts), after tsx's:
 * - TypeScript loads as ES modules, as vitest loads it in the checks' process (the workbook's
 *   package.json says CommonJS, for the notebooks): top-level `await` and `import.meta` work;
 * - a module of the submission imported with `?generation=N` in its URL passes the generation on
 *   to the modules it imports (but packages), so that a new generation loads all of them afresh,
 *   as `vi.resetModules()` would in the checks' process.
 * @module
 */

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/')) return resolved;
  const typescript = /\.[cm]?ts$/.test(new URL(resolved.url).pathname) && resolved.format === 'commonjs' ? { format: 'module' } : {};
  const generation = context.parentURL?.startsWith('file:') ? new URL(context.parentURL).searchParams.get('generation') : null;
  if (!generation) return { ...resolved, ...typescript };
  const url = new URL(resolved.url);
  url.searchParams.set('generation', generation);
  return { ...resolved, ...typescript, url: url.href };
}
