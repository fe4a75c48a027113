/**
 * Memory of a process tree, read from Linux's /proc: the gradebook watches each sandbox's and
 * stops one whose processes together hold more than the limit.
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

/** Resident memory of `pid` and all its descendants, in bytes; 0 where /proc is not there. */
export function treeMemory(pid: number): number {
  if (!fs.existsSync('/proc/self/stat')) return 0;
  const children = childrenByParent();
  let total = 0;
  for (const todo = [pid]; todo.length > 0; ) {
    const next = todo.pop() as number;
    total += residentBytes(next);
    todo.push(...(children.get(next) ?? []));
  }
  return total;
}
