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
  throw new Error('TODO: assign (exercise 20)');
}

/** The group coordinator: who is in the group, the generation, and who owns each partition with which token. */
export class Coordinator {
  constructor(partitions: number) {
    throw new Error('TODO: Coordinator constructor (exercise 20)');
  }

  /** A member joins the group (nothing happens if it is in it already). */
  join(member: string): void {
    throw new Error('TODO: Coordinator.join (exercise 20)');
  }

  /** A member leaves the group, or is removed from it (nothing happens if it is not in it). */
  leave(member: string): void {
    throw new Error('TODO: Coordinator.leave (exercise 20)');
  }

  /** The current generation and partitions (a copy: changing it changes nothing here). */
  assignment(): Assignment {
    throw new Error('TODO: Coordinator.assignment (exercise 20)');
  }
}

/** A store that keeps each partition's values, and refuses writes that carry a stale token. */
export class FencedStore {
  /** Raises the partition's fence to `token`; false (and nothing changes) when its fence is higher. */
  claim(partition: number, token: number): boolean {
    throw new Error('TODO: FencedStore.claim (exercise 20)');
  }

  /** Keeps `value` for the partition and returns true, or refuses it and returns false (see README item 7). */
  write(partition: number, token: number, value: string): boolean {
    throw new Error('TODO: FencedStore.write (exercise 20)');
  }

  /** The values the partition kept, in the order they were written. */
  read(partition: number): string[] {
    throw new Error('TODO: FencedStore.read (exercise 20)');
  }
}
