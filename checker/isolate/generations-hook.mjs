/* global URL */
/**
 * A module loader hook of the submission's process (host.ts): a module of the submission imported
 * with `?generation=N` in its URL passes the generation on to the modules it imports (but
 * packages), so that a new generation loads all of them afresh, as `vi.resetModules()` would in
 * the checks' process.
 * @module
 */

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const generation = context.parentURL?.startsWith('file:') ? new URL(context.parentURL).searchParams.get('generation') : null;
  if (!generation || !resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/')) return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set('generation', generation);
  return { ...resolved, url: url.href };
}
