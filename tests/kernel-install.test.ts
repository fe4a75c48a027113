// The kernel installer: registers the workbook kernel where Jupyter keeps kernels, and never fails
// an install for want of Jupyter.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRoot } from '../toolkit/course';

const root = findRoot();
const installer = path.join(root, 'scripts/kernel/install.cjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-install-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function install(env: Record<string, string>) {
  return spawnSync(process.execPath, [installer], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('npm run kernel:install', () => {
  it('writes a kernelspec that starts this repository’s tslab from the repository root', () => {
    // A stand-in for jupyter that only answers `--version` and `--data-dir`.
    const dataDir = path.join(scratch, 'data');
    const fakeJupyter = path.join(scratch, 'jupyter');
    fs.writeFileSync(fakeJupyter, `#!/bin/sh\n[ "$1" = "--data-dir" ] && echo "${dataDir}"\nexit 0\n`, { mode: 0o755 });
    const result = install({ JUPYTER: fakeJupyter });
    expect(result.status).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(dataDir, 'kernels/message-passing-ts/kernel.json'), 'utf8'));
    expect(spec.display_name).toBe('TypeScript (Message Passing workbook)');
    expect(spec.language).toBe('typescript');
    expect(spec.argv).toEqual([process.execPath, path.join(root, 'scripts/kernel/launch.cjs'), 'kernel', '--config-path', '{connection_file}']);
  });

  it('explains how to get Jupyter and still exits 0 when there is none', () => {
    const result = install({ JUPYTER: path.join(scratch, 'no-such-jupyter') });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Jupyter was not found/);
    expect(result.stdout).toMatch(/apt-get install jupyter-notebook/);
    expect(result.stdout).toMatch(/npm run kernel:install/);
  });
});
