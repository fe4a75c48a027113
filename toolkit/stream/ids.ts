/** A stream entry id, `<milliseconds>-<sequence>`, as numbers. */
export interface EntryId {
  ms: number;
  seq: number;
}

/**
 * Parses an id. `'-'` and `'+'` are the smallest and largest ids; an id without its sequence
 * part (`'1700000000000'`) means its first or, with `end`, its last sequence number, as in Redis.
 */
export function parseId(id: string, end = false): EntryId {
  if (id === '-') return { ms: 0, seq: 0 };
  if (id === '+') return { ms: Infinity, seq: Infinity };
  const [ms, seq] = id.split('-');
  const parsed = { ms: Number(ms), seq: seq === undefined ? (end ? Infinity : 0) : Number(seq) };
  if (!Number.isInteger(parsed.ms) || !(Number.isInteger(parsed.seq) || parsed.seq === Infinity)) {
    throw new Error(`ERR Invalid stream ID specified as stream command argument: ${id}`);
  }
  return parsed;
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareIds(a: EntryId, b: EntryId): number {
  return a.ms - b.ms || a.seq - b.seq;
}

export const formatId = ({ ms, seq }: EntryId): string => `${ms}-${seq}`;
