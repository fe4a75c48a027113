/**
 * The TCP port a process listens on, for servers started with port 0 that do not say which port
 * they got (Jupyter Notebook 6 prints ":0"). Linux only: it matches the process's sockets with
 * the listening sockets of /proc.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const LISTEN = '0A';

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return inodes;
}

function findPort(pid: number): number | undefined {
  const inodes = socketInodes(pid);
  for (const table of ['tcp', 'tcp6']) {
    const lines = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === LISTEN && inodes.has(fields[9])) return parseInt(fields[1].split(':')[1], 16);
    }
  }
  return undefined;
}

/** Waits until process `pid` listens on a TCP port, and returns it. */
export async function listeningPort(pid: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const port = findPort(pid);
    if (port !== undefined) return port;
    if (Date.now() > deadline) throw new Error(`process ${pid} did not listen on a TCP port within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}
