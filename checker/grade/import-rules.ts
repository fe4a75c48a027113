/**
 * What code under test may import, enforced where vite resolves each import (so a computed
 * `import()` is caught too): an allowlist of resolved paths, not a denylist of specifiers.
 *
 * A submission's module may import Node's built-in modules (but those that start processes or
 * run code outside the module system), the files of its own exercise folder, the folders of the
 * exercises its record says it `uses`, and the toolkit modules and packages its record lists in
 * `imports`. Everything else (solutions/, checker/, node_modules/vitest, other exercises, the
 * lessons' ready-made toolkit/http and toolkit/queue, and the check files that live beside the
 * code, `checks.test.ts`, `harness.ts`, `hidden.test.ts`, `hidden-harness.ts`) is refused with a message naming the import.
 * @module
 */
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { isCheckFileName, LAYOUT, type Exercise } from '../../tooling/course';
import { toPosix } from '../../tooling/files';

/** Built-in modules that start processes or run code outside the module system. */
export const REFUSED_BUILTINS = new Set(['child_process', 'cluster', 'worker_threads', 'vm', 'v8', 'inspector', 'module', 'repl', 'wasi', 'trace_events']);

/** The name of a built-in module without `node:` and subpath (`node:fs/promises` is `fs`). */
export const builtinName = (id: string) => id.replace(/^node:/, '').split('/')[0];

/** An exercise being graded, with its folder. */
export interface GradedFolder {
  exercise: Exercise;
  /** The folder graded for it (absolute). */
  dir: string;
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

/**
 * Code under test of the folder `dir`: a file inside it that is not one of the check files that
 * live beside the code (the public checks and harness in exercises/, the hidden checks and harness in solutions/).
 */
const codeUnderTest = (file: string, dir: string) => inside(file, dir) && !(path.dirname(file) === dir && isCheckFileName(path.basename(file)));

/** Human-readable list of what code of `exercise` may import. */
function allowedList(exercise: Exercise): string {
  const refused = [...REFUSED_BUILTINS].join(', ');
  const extra = [...exercise.imports, ...exercise.uses.map((id) => `the code of exercise ${id}`)];
  return [`Node's built-in modules (but ${refused})`, 'the files of its own folder', ...extra].join(', ');
}

/** What an import of the code under test is: a built-in module, a file, or a package (by name). */
export type ImportTarget = { builtin: string } | { file: string } | { package: string };

/**
 * Why code of `graded` may not import `target` ("(what it is), which ... may import: ..."), or
 * undefined when it may.
 * @param dirOf the folder graded for another exercise (for `uses`)
 */
export function importRefusal(root: string, graded: GradedFolder, target: ImportTarget, dirOf: (id: string) => string | undefined): string | undefined {
  const { exercise } = graded;
  let allowed: boolean;
  let where: string;
  if ('builtin' in target) {
    allowed = !REFUSED_BUILTINS.has(builtinName(target.builtin));
    where = target.builtin;
  } else if ('package' in target) {
    allowed = exercise.imports.includes(target.package);
    where = `the package ${target.package}`;
  } else {
    const file = path.resolve(target.file);
    where = toPosix(path.relative(root, file));
    allowed =
      codeUnderTest(file, graded.dir) ||
      exercise.uses.some((id) => dirOf(id) !== undefined && codeUnderTest(file, dirOf(id) as string)) ||
      exercise.imports.some((entry) => {
        const module = path.join(root, entry);
        if (entry.startsWith(`${LAYOUT.toolkit}/`)) return file === `${module}.ts` || inside(file, module);
        // Under a copy of the workbook whose node_modules is a link (Stryker's sandboxes), vite
        // resolves the package to where the link points.
        const installed = path.join(root, 'node_modules', entry);
        return inside(file, installed) || (fs.existsSync(installed) && inside(file, fs.realpathSync(installed)));
      });
  }
  return allowed ? undefined : `(${where}), which code under test may not import. It may import: ${allowedList(exercise)}.`;
}

/**
 * The vite plugin that refuses imports outside the allowlist.
 * @param submissions every exercise graded in this run, with its folder
 */
export function importRules(root: string, submissions: GradedFolder[]): Plugin {
  const ownerOf = (file: string) => submissions.find((graded) => codeUnderTest(file, graded.dir));
  const dirOf = (id: string) => submissions.find((graded) => graded.exercise.id === id)?.dir;
  return {
    name: 'workbook-import-rules',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      // The checks load the code under test (`@submission/...`, which the alias turned into a path
      // in its folder): it must be a file of that folder, not a link out of it.
      const loaded = path.isAbsolute(source) ? ownerOf(path.resolve(source)) : undefined;
      if (loaded && !(importer && ownerOf(path.resolve(importer.split('?')[0])))) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        const file = resolved ? fs.realpathSync(path.resolve(resolved.id.split('?')[0])) : undefined;
        if (file && !inside(file, fs.realpathSync(loaded.dir))) {
          this.error(`${toPosix(path.relative(root, source))} is ${toPosix(path.relative(root, file))}, outside the folder graded for ${loaded.exercise.id}: a symbolic link? Only the files of that folder are graded.`);
        }
        return resolved;
      }
      const graded = importer ? ownerOf(path.resolve(importer.split('?')[0])) : undefined;
      if (!graded || !importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved) return null;
      const target: ImportTarget = isBuiltin(resolved.id) || isBuiltin(source) ? { builtin: isBuiltin(resolved.id) ? resolved.id : source } : { file: resolved.id.split('?')[0] };
      const refusal = importRefusal(root, graded, target, dirOf);
      if (refusal) this.error(`${toPosix(path.relative(root, importer))} imports "${source}" ${refusal}`);
      return resolved;
    },
  };
}
