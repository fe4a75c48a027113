/**
 * Exercise 20: partitions shared out among a group of consumers, moving as few as possible when
 * the group changes, and a store that refuses the writes of a consumer that lost its partition.
 * Read README.md first. Run `npm run grade -- 20` to check your work.
 * @module
 */

/** One partition as the coordinator sees it: its owner, and the token its owner writes with. */
export interface PartitionState {
  /** The member that owns it, or null when the group has no members. */
  owner: string | null;
  /** The generation in which its owner got it (0 when it has no owner). */
  token: number;
}

/** The coordinator's current assignment: its generation, and each partition, by number. */
export interface Assignment {
  generation: number;
  /** `partitions[p]` is partition p. */
  partitions: PartitionState[];
}

/**
 * The owner of each of `partitions` partitions among `members` (not empty): `result[p]` owns
 * partition p. `previous[p]` is the owner before (a member, one that left, or null).
 */
export function assign(partitions: number, members: string[], previous: (string | null)[]): string[] {
  const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const m = sorted.length;
  const base = Math.floor(partitions / m);
  const extra = partitions % m;

  // How many partitions each member held before.
  const held = new Map<string, number>();
  for (const name of sorted) held.set(name, 0);
  for (let p = 0; p < partitions; p++) {
    const prev = previous[p];
    if (prev !== null && prev !== undefined && held.has(prev)) held.set(prev, held.get(prev)! + 1);
  }

  // The extra places go to the members that held the most (ties by name).
  const byHeld = [...members].sort((a, b) => held.get(b)! - held.get(a)!);
  const quota = new Map<string, number>();
  byHeld.forEach((name, i) => quota.set(name, base + (i < extra ? 1 : 0)));

  const result: (string | null)[] = new Array<string | null>(partitions).fill(null);
  const count = new Map<string, number>();
  for (const name of sorted) count.set(name, 0);

  // Keep before you give.
  for (let p = 0; p < partitions; p++) {
    const prev = previous[p];
    if (prev !== null && prev !== undefined && quota.has(prev) && count.get(prev)! < quota.get(prev)!) {
      result[p] = prev;
      count.set(prev, count.get(prev)! + 1);
    }
  }

  // Give the rest to members below their quota, by name.
  let i = 0;
  for (let p = 0; p < partitions; p++) {
    if (result[p] !== null) continue;
    while (count.get(sorted[i])! >= quota.get(sorted[i])!) i++;
    result[p] = sorted[i];
    count.set(sorted[i], count.get(sorted[i])! + 1);
  }
  return result as string[];
}

/** The group coordinator: who is in the group, the generation, and who owns each partition with which token. */
export class Coordinator {
  private readonly partitions: number;
  private readonly members = new Set<string>();
  private generation = 0;
  private owners: (string | null)[];
  private tokens: number[];

  constructor(partitions: number) {
    this.partitions = partitions;
    this.owners = new Array<string | null>(partitions).fill(null);
    this.tokens = new Array<number>(partitions).fill(0);
  }

  /** A member joins the group (nothing happens if it is in it already). */
  join(member: string): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    this.rebalance();
  }

  /** A member leaves the group, or is removed from it (nothing happens if it is not in it). */
  leave(member: string): void {
    if (!this.members.has(member)) return;
    this.members.delete(member);
    this.rebalance();
  }

  private rebalance(): void {
    this.generation += 1;
    if (this.members.size === 0) {
      this.owners = new Array<string | null>(this.partitions).fill(null);
      this.tokens = new Array<number>(this.partitions).fill(0);
      return;
    }
    const next = assign(this.partitions, [...this.members], this.owners);
    for (let p = 0; p < this.partitions; p++) {
      if (next[p] !== this.owners[p]) {
        this.owners[p] = next[p];
        this.tokens[p] = this.generation;
      }
    }
  }

  /** The current generation and partitions (a copy: changing it changes nothing here). */
  assignment(): Assignment {
    return {
      generation: this.generation,
      partitions: this.owners.map((owner, p) => ({ owner, token: this.tokens[p] })),
    };
  }
}

/** A store that keeps each partition's values, and refuses writes that carry a stale token. */
export class FencedStore {
  private readonly fences = new Map<number, number>();
  private readonly values = new Map<number, string[]>();

  /** Raises the partition's fence to `token`; false (and nothing changes) when its fence is higher. */
  claim(partition: number, token: number): boolean {
    const fence = this.fences.get(partition);
    if (fence !== undefined && token < fence) return false;
    this.fences.set(partition, token);
    return true;
  }

  /** Keeps `value` for the partition and returns true, or refuses it and returns false (see README item 7). */
  write(partition: number, token: number, value: string): boolean {
    if (!this.claim(partition, token)) return false;
    let list = this.values.get(partition);
    if (list === undefined) {
      list = [];
      this.values.set(partition, list);
    }
    list.push(value);
    return true;
  }

  /** The values the partition kept, in the order they were written. */
  read(partition: number): string[] {
    return [...(this.values.get(partition) ?? [])];
  }
}
