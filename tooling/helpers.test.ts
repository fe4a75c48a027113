import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPosix, writeFileAtomic } from './files';
import { killTree, mapLimit } from './processes';
import { findChromium, onPath } from './programs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'system-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('findChromium', () => {
  const fakeChromium = path.join(scratch, 'bin', 'chromium');
  fs.mkdirSync(path.dirname(fakeChromium));
  fs.writeFileSync(fakeChromium, '#!/bin/sh\n', { mode: 0o755 });

  it('uses PUPPETEER_EXECUTABLE_PATH first, then chromium on the PATH, then the last resort', () => {
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: process.execPath, PATH: path.dirname(fakeChromium) }, '/nowhere')).toBe(process.execPath);
    expect(findChromium({ PATH: path.dirname(fakeChromium) }, '/nowhere')).toBe(fakeChromium);
    expect(findChromium({ PATH: '' }, process.execPath)).toBe(process.execPath);
  });

  it('says how to get a browser when there is none', () => {
    expect(() => findChromium({ PATH: '' }, '/nowhere/chromium')).toThrow(/\/nowhere\/chromium.*apt-get install chromium.*PUPPETEER_EXECUTABLE_PATH/s);
    expect(() => findChromium({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' })).toThrow(/PUPPETEER_EXECUTABLE_PATH is "\/nowhere\/chrome", which is not an executable file/);
  });

  it('finds only executable files on the PATH', () => {
    const plain = path.join(scratch, 'bin', 'not-executable');
    fs.writeFileSync(plain, '', { mode: 0o644 });
    expect(onPath('not-executable', path.dirname(plain))).toBeUndefined();
    expect(onPath('chromium', path.dirname(fakeChromium))).toBe(fakeChromium);
  });
});

describe('mapLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(most).toBe(2);
  });
});

describe('writeFileAtomic and toPosix', () => {
  it('writes through a temporary file and leaves nothing else behind', () => {
    const file = path.join(scratch, 'deep', 'er', 'file.txt');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['file.txt']);
    expect(toPosix(['a', 'b', 'c'].join(path.sep))).toBe('a/b/c');
  });
});

/** True while `pid` runs (a killed process whose parent has not reaped it yet is a zombie, not running). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('killTree', () => {
  it.runIf(process.platform === 'linux')('kills a detached process and the process it started', async () => {
    const child = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = Number(await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killTree(child.pid);
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running(grandchild)).toBe(false);
    expect(() => killTree(child.pid)).not.toThrow();
  });
});
