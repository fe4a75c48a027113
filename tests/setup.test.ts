/**
 * `./setup`, the one way to set the workbook up on a laptop, in CI and in the dev container: its
 * `--check` table tells the truth about this machine and changes nothing; CI is `./setup` then
 * `npm test`; both READMEs start with it; every dependency's install script is decided; the dev
 * container runs the same `./setup` and opens the notebooks on the workbook's kernel.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { findRoot, LAYOUT, loadLessons } from '../tooling/course';
import { KERNEL_NAME } from '../tooling/kernel/install';
import { findChromium, findJupyter, findJupyterPython } from '../tooling/programs';

const root = findRoot(__dirname);
const read = (...parts: string[]) => fs.readFileSync(path.join(root, ...parts), 'utf8');

interface Row {
  ready: boolean;
  what: string;
  details: string;
}

/** The rows of the table that ends every run of ./setup: `  ready|missing  What  Details`. */
function parseTable(stdout: string): Row[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^Ready\?\s+What\s+Details$/.test(line));
  expect(header, stdout).toBeGreaterThanOrEqual(0);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 1)) {
    const match = /^ {2}(ready|missing) +(\S.{14}) (.+)$/.exec(line);
    if (!match) break;
    rows.push({ ready: match[1] === 'ready', what: match[2].trim(), details: match[3] });
  }
  return rows;
}

function runCheck(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(root, 'setup'), ['--check'], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Whether something accepts a TCP connection at the host and port of `url`. */
function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort), timeout: 3000 });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function chromiumPath(): string | null {
  try {
    return findChromium();
  } catch {
    return null;
  }
}

describe('./setup --check', () => {
  it('prints a table of what is ready that agrees with this machine, exits 1 when something is not, and changes nothing', async () => {
    const hiddenLockfile = path.join(root, 'node_modules', '.package-lock.json');
    const installedAt = fs.statSync(hiddenLockfile).mtimeMs;
    const { code, stdout, stderr } = await runCheck();
    const rows = parseTable(stdout);
    const row = (what: string) => rows.find((r) => r.what === what) ?? expect.fail(`no row "${what}" in\n${stdout}`);

    const linuxOnly = process.platform === 'linux' ? ['bubblewrap'] : [];
    expect(rows.map((r) => r.what)).toEqual(['Node.js', 'npm packages', 'Jupyter', 'Jupyter kernel', 'nbclient', 'Chromium', 'RabbitMQ', 'Redis', 'PostgreSQL', ...linuxOnly]);
    expect(code, stderr).toBe(rows.every((r) => r.ready) ? 0 : 1);
    expect(stdout, 'a check runs no step').not.toMatch(/^==>/m);
    expect(fs.statSync(hiddenLockfile).mtimeMs).toBe(installedAt);

    expect(row('Node.js')).toMatchObject({ ready: true, details: expect.stringContaining(process.version) as string });
    const jupyter = findJupyter();
    expect(row('Jupyter').ready).toBe(jupyter !== null);
    if (jupyter) expect(row('Jupyter').details.startsWith(jupyter)).toBe(true);
    const python = findJupyterPython();
    expect(row('nbclient').ready).toBe(python !== null);
    if (python) expect(row('nbclient').details.startsWith(python)).toBe(true);
    const chromium = chromiumPath();
    expect(row('Chromium')).toMatchObject(chromium ? { ready: true, details: chromium } : { ready: false });

    const amqp = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
    const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    expect(row('RabbitMQ').ready).toBe(await answers(amqp, 5672));
    expect(row('Redis').ready).toBe(await answers(redis, 6379));
    const postgres = process.env.DATABASE_URL ?? 'postgres://workbook:workbook@127.0.0.1:5432/workbook';
    expect(row('PostgreSQL').ready).toBe(await answers(postgres, 5432));
    expect(row('PostgreSQL').details, 'no password is printed').not.toContain(':workbook@');
    if (row('RabbitMQ').ready) expect(row('RabbitMQ').details).toBe(`up at amqp://${new URL(amqp).hostname}:${new URL(amqp).port || 5672}`);
    expect(row('RabbitMQ').details, 'no password is printed').not.toContain('guest');

    // CI runs ./setup before npm test: everything must be ready there.
    if (process.env.CI === 'true') expect(rows.filter((r) => !r.ready)).toEqual([]);
  }, 180_000);

  it('refuses an unknown option and a second one', () => {
    for (const args of [['--nope'], ['--check', '--system']]) {
      const result = (() => {
        try {
          execFileSync(path.join(root, 'setup'), args, { cwd: root, stdio: 'pipe' });
          return 0;
        } catch (error) {
          return (error as { status: number }).status;
        }
      })();
      expect(result, args.join(' ')).toBe(2);
    }
  });
});

describe('one path for newcomers and CI', () => {
  const commands = (block: string) => block.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);
  const firstShellBlock = (markdown: string) => /```sh\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';

  it('.ci/run is three lines besides comments: ./setup, then exactly npm test, with CI=true', () => {
    const lines = read('.ci', 'run').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    expect(lines).toHaveLength(3);
    expect(lines).toContain('export CI="${CI:-true}"');
    expect(lines.at(-1)).toBe('./setup && npm test');
  });

  it('the README’s quick start is ./setup then npm start, ./setup then npm test', () => {
    const readme = read('README.md');
    const quickStart = readme.slice(readme.indexOf('## Quick start'));
    expect(commands(firstShellBlock(quickStart))).toEqual(['./setup && npm start', './setup && npm test']);
  });

  it('the student README opens with ./setup and npm start', () => {
    const readme = read(LAYOUT.scripts, 'release', 'README.md');
    const [title, blank, ...rest] = readme.split('\n');
    expect(title).toMatch(/^# /);
    expect(blank).toBe('');
    expect(rest[0]).toBe('```sh');
    expect(commands(firstShellBlock(readme))).toEqual(['./setup', 'npm start']);
  });

  it('the student CI sets up with ./setup too', () => {
    expect(commands(read(LAYOUT.scripts, 'release', 'ci-run'))).toContain('./setup');
    expect(read(LAYOUT.scripts, 'release', 'grade.yml')).toMatch(/^\s+- run: \.\/setup --no-system$/m);
  });

  it('every dependency’s install script is approved or denied in package.json (a clean npm ci warns about none)', () => {
    const pending = JSON.parse(execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: root, encoding: 'utf8' })) as { allowScripts: unknown[] };
    expect(pending.allowScripts).toEqual([]);
  });
});

describe('the dev container', () => {
  const config = JSON.parse(read('.devcontainer', 'devcontainer.json')) as {
    build: { dockerfile: string; context: string };
    postCreateCommand: string;
    postAttachCommand: string;
    forwardPorts: number[];
  };
  const schemaFile = path.join(__dirname, 'schemas', 'devContainer.base.schema.json');

  it('builds on a Node 20 Debian image with the same ./setup, runs it in the workspace and starts the servers on attach', () => {
    const dockerfile = read('.devcontainer', config.build.dockerfile)
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(dockerfile[0]).toMatch(/^FROM \S+:(\d+-)?20-bookworm$/);
    expect(dockerfile.filter((line) => line.startsWith('COPY '))).toEqual(['COPY setup /tmp/workbook-setup']);
    expect(dockerfile.filter((line) => line.startsWith('RUN '))).toEqual(['RUN /tmp/workbook-setup --system && rm /tmp/workbook-setup']);
    expect(path.resolve(root, path.dirname(LAYOUT.devcontainer), config.build.context)).toBe(root);
    expect(config.postCreateCommand).toBe('./setup');
    expect(config.postAttachCommand).toBe('./setup --system');
    expect(config.forwardPorts).toContain(8888);
  });

  it('opens every lesson on the kernel that ./setup registers', () => {
    for (const lesson of loadLessons(root)) {
      const notebook = JSON.parse(read(lesson.file)) as { metadata: { kernelspec: { name: string } } };
      expect(notebook.metadata.kernelspec.name, lesson.file).toBe(KERNEL_NAME);
    }
  });

  it.runIf(fs.existsSync(schemaFile))('is valid against the dev container schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    expect(validate(config), ajv.errorsText(validate.errors)).toBe(true);
  });
});
