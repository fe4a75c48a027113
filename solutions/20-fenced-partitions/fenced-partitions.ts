/**
 * Exercise 20, the reference solution: a sticky assignor, a group coordinator that numbers its
 * generations and gives each partition a fencing token, and a store that refuses stale writes.
 * @module
 */

/** One partition as the coordinator sees it: its owner, and the token its owner writes with. */
export interface PartitionState {
  owner: string | null;
  token: number;
}

/** The coordinator's current assignment: its generation, and each partition, by number. */
export interface Assignment {
  generation: number;
  partitions: PartitionState[];
}

/** The owner of each of `partitions` partitions among `members`, moving as few as balance allows. */
export function assign(partitions: number, members: string[], previous: (string | null)[]): string[] {
  const names = [...new Set(members)].sort();
  const share = Math.floor(partitions / names.length);
  const extra = partitions % names.length;
  const kept = new Map(names.map((name) => [name, [] as number[]]));
  for (let p = 0; p < partitions; p += 1) {
    const owner = previous[p];
    if (owner !== null) kept.get(owner)?.push(p);
  }
  // The members that held the most get the extra partitions: each of them then keeps one more.
  // Ties stay in name order: `names` is sorted, and sort is stable.
  const byHeld = [...names].sort((a, b) => kept.get(b)!.length - kept.get(a)!.length);
  const quota = new Map(byHeld.map((name, i) => [name, share + (i < extra ? 1 : 0)]));
  const owners: (string | null)[] = new Array<string | null>(partitions).fill(null);
  for (const name of names) for (const p of kept.get(name)!.slice(0, quota.get(name))) owners[p] = name;
  const free = owners.flatMap((owner, p) => (owner === null ? [p] : []));
  for (const name of names) {
    let owned = owners.filter((owner) => owner === name).length;
    while (owned < quota.get(name)!) {
      owners[free.shift()!] = name;
      owned++;
    }
  }
  return owners as string[];
}

/** The group coordinator: who is in the group, the generation, and who owns each partition with which token. */
export class Coordinator {
  private readonly members = new Set<string>();
  private generation = 0;
  private owners: (string | null)[];
  private tokens: number[];

  constructor(private readonly partitions: number) {
    this.owners = new Array<string | null>(partitions).fill(null);
    this.tokens = new Array<number>(partitions).fill(0);
  }

  join(member: string): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    this.rebalance();
  }

  leave(member: string): void {
    if (!this.members.delete(member)) return;
    this.rebalance();
  }

  assignment(): Assignment {
    return { generation: this.generation, partitions: this.owners.map((owner, p) => ({ owner, token: this.tokens[p] })) };
  }

  /** A new generation: every partition that changes owner gets it as its token. */
  private rebalance(): void {
    this.generation++;
    const next = this.members.size === 0 ? this.owners.map(() => null) : assign(this.partitions, [...this.members], this.owners);
    this.tokens = next.map((owner, p) => (owner === this.owners[p] ? this.tokens[p] : owner === null ? 0 : this.generation));
    this.owners = next;
  }
}

/** A store that keeps, for each partition, the highest token it has seen, and refuses writes with a lower one. */
export class FencedStore {
  private readonly fences = new Map<number, number>();
  private readonly values = new Map<number, string[]>();

  claim(partition: number, token: number): boolean {
    if (token < (this.fences.get(partition) ?? -Infinity)) return false;
    this.fences.set(partition, token);
    return true;
  }

  write(partition: number, token: number, value: string): boolean {
    if (!this.claim(partition, token)) return false;
    this.values.set(partition, [...this.read(partition), value]);
    return true;
  }

  read(partition: number): string[] {
    return [...(this.values.get(partition) ?? [])];
  }
}
