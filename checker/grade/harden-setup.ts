/**
 * The first setup file of every grading run (see vitest.checks.mts): it runs in the worker before
 * the check file, and so before any code under test, and takes out of `process` what reaches
 * around the import rules (import-rules.ts) by a name no rule can see in the text:
 * - `process.getBuiltinModule(name)` (Node 20.16+) loads a built-in module without an import: it
 *   refuses the built-ins the import rules refuse (`child_process` and its kin) and loads the rest;
 * - `process.binding(name)` and `process._linkedBinding(name)` reach Node's internals
 *   (`process_wrap` starts a process): only `process.binding('constants')` is left, which PGlite
 *   (exercise 15) reads;
 * - `process.dlopen` loads native code; `process.mainModule` leads to `require`.
 * Each is replaced for good (neither writable nor configurable), and the originals are kept only
 * in this module's closures. The code rules (code-rules.ts) refuse all of them written out; this is
 * for the ways of writing them that the rules cannot see (`Reflect.get(process, 'getBuiltin' + 'Module')`).
 * @module
 */
import { builtinName, REFUSED_BUILTINS } from './import-rules';

const WHY = 'it reaches around the rules on what code under test may load';

function seal(name: string, value: unknown): void {
  Object.defineProperty(process, name, { value, writable: false, configurable: false, enumerable: false });
}

const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
if (typeof getBuiltinModule === 'function') {
  seal('getBuiltinModule', (id: string) => {
    if (REFUSED_BUILTINS.has(builtinName(String(id)))) throw new Error(`process.getBuiltinModule('${String(id)}') is not allowed: ${WHY}`);
    return getBuiltinModule.call(process, id);
  });
}

const binding = (process as unknown as { binding: (name: string) => unknown }).binding;
seal('binding', (name: string) => {
  if (name === 'constants') return binding.call(process, name);
  throw new Error(`process.binding('${String(name)}') is not allowed: ${WHY}`);
});
for (const name of ['_linkedBinding', 'dlopen']) {
  seal(name, () => {
    throw new Error(`process.${name}() is not allowed: ${WHY}`);
  });
}
seal('mainModule', undefined);
