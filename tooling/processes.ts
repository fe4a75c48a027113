/**
 * Process helpers shared by the grader, the gradebook, the site, the notebook runner and the
 * tests: how many things to run at once, a concurrency pool, and killing a process tree.
 * @module
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** How many things to run at once on this machine. */
export const cores = (): number => os.availableParallelism();

/**
 * Kills a process started with `detached: true` (it leads its own process group) and everything
 * it started. Does nothing when it is already gone.
 */
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs `work` on every item with at most `limit` at a time; results keep the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
