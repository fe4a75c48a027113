// The kernel: `npm run kernel:install` registers one kernelspec whose launcher lives in Jupyter's
// data folder, belongs to no checkout, and starts the tslab of the workbook the notebook is in.
// Installing a second checkout leaves the first one's notebooks on their own code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRoot, LAYOUT } from '../tooling/course';
import { readNotebook } from '../tooling/notebook';
import { executeNotebook } from '../tooling/notebooks/run';
import { findJupyter, findJupyterPython } from '../tooling/programs';

const root = findRoot();
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-install-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs the kernel installer of the workbook at `checkout`. */
function install(checkout: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [tsx, path.join(checkout, LAYOUT.tooling, 'kernel', 'install.ts')], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** A stand-in for jupyter that only answers `--version` and `--data-dir`. */
function fakeJupyter(dataDir: string): string {
  const file = path.join(scratch, `jupyter-${path.basename(dataDir)}`);
  fs.writeFileSync(file, `#!/bin/sh\n[ "$1" = "--data-dir" ] && echo "${dataDir}"\nexit 0\n`, { mode: 0o755 });
  return file;
}

describe('npm run kernel:install', () => {
  it('writes a kernelspec whose launcher is a copy kept in the kernelspec folder', () => {
    const dataDir = path.join(scratch, 'data');
    const result = install(root, { JUPYTER: fakeJupyter(dataDir) });
    expect(result.status, result.stderr).toBe(0);
    const specDir = path.join(dataDir, 'kernels', 'message-passing-ts');
    const spec = JSON.parse(fs.readFileSync(path.join(specDir, 'kernel.json'), 'utf8')) as { argv: string[]; display_name: string; language: string };
    expect(spec).toMatchObject({ display_name: 'TypeScript (Message Passing workbook)', language: 'typescript' });
    expect(spec.argv).toEqual([process.execPath, path.join(specDir, 'launch.cjs'), 'kernel', '--config-path', '{connection_file}']);
    expect(fs.readFileSync(path.join(specDir, 'launch.cjs'), 'utf8')).toBe(fs.readFileSync(path.join(root, LAYOUT.tooling, 'kernel', 'launch.cjs'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(path.join(specDir, 'fallback.json'), 'utf8'))).toEqual({ root });
  });

  it('explains how to get Jupyter and still exits 0 when there is none', () => {
    const result = install(root, { JUPYTER: path.join(scratch, 'no-such-jupyter') });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Jupyter was not found/);
    expect(result.stdout).toMatch(/\.\/setup/);
    expect(result.stdout).toMatch(/apt-get install jupyter-notebook/);
  });
});

const python = findJupyterPython();
const jupyter = findJupyter();

describe.runIf((python && jupyter) || process.env.CI === 'true')('one kernel for every checkout', () => {
  /** A minimal workbook: its own toolkit marker, a notebook that prints it (or `source`), and the packages of this one. */
  function checkout(name: string, source = ["import { checkout } from './toolkit/marker';\n", 'console.log(`checkout ${checkout}`);']): string {
    const dir = path.join(scratch, 'checkouts', name);
    fs.cpSync(path.join(root, LAYOUT.tooling), path.join(dir, LAYOUT.tooling), { recursive: true });
    fs.writeFileSync(path.join(dir, LAYOUT.courseFile), JSON.stringify({ title: name }));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `workbook-${name}`, private: true }));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(dir, LAYOUT.toolkit));
    fs.writeFileSync(path.join(dir, LAYOUT.toolkit, 'marker.ts'), `export const checkout = '${name}';\n`);
    fs.mkdirSync(path.join(dir, LAYOUT.lessons));
    const notebook = {
      cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source }],
      metadata: { kernelspec: { name: 'message-passing-ts', display_name: 'TypeScript (Message Passing workbook)', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    fs.writeFileSync(path.join(dir, LAYOUT.lessons, 'probe.ipynb'), JSON.stringify(notebook));
    return dir;
  }

  /** What the probe notebook of `dir` printed when run with the registered kernel. */
  async function printed(dir: string, env: Record<string, string> = {}): Promise<string> {
    const output = path.join(dir, 'executed.ipynb');
    const run = await executeNotebook(path.join(LAYOUT.lessons, 'probe.ipynb'), { python: python as string, root: dir, output, env });
    if (!run.ok) throw new Error(JSON.stringify(run.failure));
    return JSON.stringify(readNotebook(output).cells[0].outputs);
  }

  it('tells a cell that uses a name no cell run so far defines to run the cells above first', { timeout: 120_000 }, async () => {
    const saved = process.env.JUPYTER_DATA_DIR;
    process.env.JUPYTER_DATA_DIR = path.join(scratch, 'jupyter-data-run-above');
    try {
      const dir = checkout('run-above', ['const sent = net.send;\n']);
      expect(install(dir, {}).status).toBe(0);
      const run = await executeNotebook(path.join(LAYOUT.lessons, 'probe.ipynb'), { python: python as string, root: dir });
      expect(run.ok).toBe(false);
      expect(run.failure?.message).toContain("Cannot find name 'net'");
      expect(run.failure?.message).toContain('run the cells above first (classic Notebook: Cell > Run All Above');
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
      else process.env.JUPYTER_DATA_DIR = saved;
    }
  });

  it('runs each checkout’s notebooks on that checkout’s code after both were installed', { timeout: 120_000 }, async () => {
    const saved = process.env.JUPYTER_DATA_DIR;
    process.env.JUPYTER_DATA_DIR = path.join(scratch, 'shared-jupyter-data');
    try {
      const first = checkout('first');
      const second = checkout('second');
      for (const dir of [first, second]) expect(install(dir, {}).status).toBe(0);
      expect(await printed(first)).toContain('checkout first');
      expect(await printed(second)).toContain('checkout second');
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
      else process.env.JUPYTER_DATA_DIR = saved;
    }
  });

  it('prints the same with its speed-ups as without, and keeps their caches in the workbook', { timeout: 180_000 }, async () => {
    const saved = process.env.JUPYTER_DATA_DIR;
    process.env.JUPYTER_DATA_DIR = path.join(scratch, 'jupyter-data-speedups');
    try {
      const dir = checkout('speedups', [
        "import { checkout } from './toolkit/marker';\n",
        'const sizes = new Map([[checkout, checkout.length]]);\n',
        'console.log(`checkout ${checkout}`, [...sizes]);\n',
        'sizes',
      ]);
      expect(install(dir, {}).status).toBe(0);
      const cold = await printed(dir);
      const cache = path.join(dir, '.cache', 'kernel');
      expect(fs.readdirSync(path.join(cache, 'code')).filter((file) => file.endsWith('.v8'))).toHaveLength(1);
      expect(fs.readdirSync(path.join(cache, 'transpiled')).length).toBeGreaterThan(0);
      expect(cold).toContain('checkout speedups');
      expect(await printed(dir)).toBe(cold);
      expect(await printed(dir, { WORKBOOK_KERNEL_SPEEDUPS: 'off' })).toBe(cold);

      // A type error reads the same: the speed-ups change how fast the compiler starts, not what it says.
      const wrong = checkout('speedups-type-error', ["const sizes = new Map([['a', 1]]);\n", 'sizes as number']);
      const failure = async (env: Record<string, string>) =>
        (await executeNotebook(path.join(LAYOUT.lessons, 'probe.ipynb'), { python: python as string, root: wrong, env })).failure?.message;
      const typeError = await failure({});
      expect(typeError).toMatch(/Conversion of type 'Map<string, number>' to type 'number'/);
      expect(await failure({ WORKBOOK_KERNEL_SPEEDUPS: 'off' })).toBe(typeError);
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
      else process.env.JUPYTER_DATA_DIR = saved;
    }
  });
});
