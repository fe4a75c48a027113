/**
 * Memory, processes and scratch space of a sandbox, read from Linux's /proc: the gradebook
 * watches each sandbox and stops one whose processes together hold more memory than the limit
 * (files on its tmpfs mounts, /tmp, /dev/shm and its scratch folders, are memory too and are
 * counted), that starts too many processes, or that fills one of its tmpfs mounts.
 * @module
 */
import fs from 'node:fs';

/** Parent pid → child pids, for every process /proc shows now. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (command) state ppid ...": the command may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** Resident memory of `pid` in bytes (0 when it is gone). */
function residentBytes(pid: number): number {
  try {
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kilobytes ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants. */
function tree(pid: number): number[] {
  const children = childrenByParent();
  const all: number[] = [];
  for (const todo = [pid]; todo.length > 0; ) {
    const next = todo.pop() as number;
    all.push(next);
    todo.push(...(children.get(next) ?? []));
  }
  return all;
}

/** Resident memory of `pid` and all its descendants, in bytes; 0 where /proc is not there. */
export function treeMemory(pid: number): number {
  if (!fs.existsSync('/proc/self/stat')) return 0;
  return tree(pid).reduce((total, next) => total + residentBytes(next), 0);
}

/** A tmpfs mount of a sandbox: where it is inside, and its size. */
interface TmpfsMount {
  where: string;
  bytes: number;
}

/** What a sandbox holds now. */
interface SandboxUsage {
  /** Resident memory of its processes, in bytes. */
  residentBytes: number;
  /** Its processes. */
  processes: number;
  /** Bytes used on each of its tmpfs mounts, in the order given (0 when it could not be read). */
  tmpfsBytes: number[];
}

/**
 * What the sandbox started as `pid` (bubblewrap, or what runs it) holds: its processes' memory
 * and number, and how full each of its tmpfs mounts `mounts` is, read through the root of one of
 * its processes (/proc/<pid>/root) with statfs.
 */
export function sandboxUsage(pid: number, mounts: TmpfsMount[]): SandboxUsage {
  if (!fs.existsSync('/proc/self/stat')) return { residentBytes: 0, processes: 0, tmpfsBytes: mounts.map(() => 0) };
  const pids = tree(pid);
  const ours = namespaceOf('self');
  const used = (where: string) => {
    // The first process inside whose root shows the mount (the outer processes see the host's).
    for (const inner of pids) {
      try {
        if (namespaceOf(String(inner)) === ours) continue;
        const stats = fs.statfsSync(`/proc/${inner}/root${where}`);
        if (stats.type !== TMPFS_MAGIC) continue;
        return (stats.blocks - stats.bfree) * stats.bsize;
      } catch {
        // gone, or not ours to look into
      }
    }
    return 0;
  };
  return { residentBytes: pids.reduce((total, next) => total + residentBytes(next), 0), processes: pids.length, tmpfsBytes: mounts.map((mount) => used(mount.where)) };
}

/** The mount namespace of a process. */
function namespaceOf(pid: string): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return '';
  }
}

/** statfs's f_type of a tmpfs. */
const TMPFS_MAGIC = 0x01021994;
