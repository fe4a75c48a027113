import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite database spends most of its start (about two thirds of the CPU time) in initdb,
 * which creates the same empty data directory every time. The first start on a machine saves
 * that directory, per PGlite version, in the temp folder; later starts load it instead.
 */
function templateFile(): string {
  const entry = createRequire(__filename).resolve('@electric-sql/pglite'); // its package.json is not exported
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return path.join(os.tmpdir(), 'message-passing-workbook', `pglite-${version}-empty-datadir.tar.gz`);
}

/** The saved empty data directory, or undefined when none is saved yet. */
export async function loadTemplate(): Promise<Blob | undefined> {
  try {
    return new Blob([await fs.readFile(templateFile())]);
  } catch {
    return undefined;
  }
}

/** Saves `pglite`'s data directory (call it on a fresh, empty database) for later starts. */
export async function saveTemplate(pglite: PGlite): Promise<void> {
  const file = templateFile();
  const partial = `${file}.${process.pid}.partial`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const dump = await pglite.dumpDataDir('gzip');
    await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(partial, file); // atomic: another process never reads half a file
  } catch {
    await fs.rm(partial, { force: true }); // no cache this time: the next start runs initdb again
  }
}
