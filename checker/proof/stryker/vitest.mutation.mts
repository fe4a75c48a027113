/**
 * The vitest configuration of `npm run mutation` (see run.mts): the checks' own configuration
 * (../../grade/vitest.checks.mts, with the graded folder set to the solutions), without
 * the canaries.
 *
 * The canaries are two checks that must fail in every check file (../../shared/canary.ts); Stryker
 * refuses to start when a test fails on the unmutated code, and a canary says nothing about a
 * mutant. So here the module that registers them resolves to one that registers nothing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { mergeConfig } from 'vitest/config';
import { findRoot, LAYOUT } from '../../../tooling/course';
import checks from '../../grade/vitest.checks.mjs';

const root = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const canaryModule = path.join(root, LAYOUT.checkSupport, 'canary.ts');
const NO_CANARIES = '\0mutation-testing:no-canaries';

const noCanaries: Plugin = {
  name: 'mutation-testing-no-canaries',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!source.endsWith('canary')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && path.resolve(resolved.id) === canaryModule ? NO_CANARIES : null;
  },
  load(id) {
    return id === NO_CANARIES ? 'export function canaries() {}' : null;
  },
};

export default mergeConfig(checks, { plugins: [noCanaries] });
