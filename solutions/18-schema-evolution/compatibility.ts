/**
 * Exercise 18: a compatibility check between two versions of a message's JSON Schema, as a
 * producer's build runs it before publishing the newer one.
 * Read README.md first. Run `npm run grade -- 18` to check your work.
 * @module
 */

/** The part of a JSON Schema the check compares: each property's `type`, and which are required. */
export interface ObjectSchema {
  properties: Record<string, { type: string }>;
  required?: string[];
}

/** Who must read whom: newer consumers old messages (backward), old consumers new messages (forward). */
export type Direction = 'backward' | 'forward';

/** What a change did to a field. */
export type BreakKind = 'added-required' | 'made-required' | 'removed' | 'made-optional' | 'type-changed';

/** One reason a newer schema cannot replace an older one. */
export interface Break {
  field: string;
  kind: BreakKind;
  direction: Direction;
}

/** How a field stands in a schema: absent, optional or required, and its type. */
function field(schema: ObjectSchema, name: string): { presence: 'absent' | 'optional' | 'required'; type?: string } {
  const property = schema.properties[name] as { type: string } | undefined;
  if (property === undefined) return { presence: 'absent' };
  return { presence: (schema.required ?? []).includes(name) ? 'required' : 'optional', type: property.type };
}

/** The breaks for a consumer on `reader` that reads messages written with `writer`: each rule on its own, so a field can break twice. */
function readBreaks(writer: ObjectSchema, reader: ObjectSchema, direction: Direction): Break[] {
  const breaks: Break[] = [];
  for (const name of Object.keys(reader.properties)) {
    const [w, r] = [field(writer, name), field(reader, name)];
    if (w.presence !== 'absent' && w.type !== r.type) breaks.push({ field: name, kind: 'type-changed', direction });
    if (r.presence === 'required' && w.presence === 'absent') breaks.push({ field: name, kind: direction === 'backward' ? 'added-required' : 'removed', direction });
    if (r.presence === 'required' && w.presence === 'optional') breaks.push({ field: name, kind: direction === 'backward' ? 'made-required' : 'made-optional', direction });
  }
  return breaks;
}

/** Every break of replacing `older` by `newer`, in the directions `mode` asks for. */
export function checkCompatibility(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): Break[] {
  return [
    ...(mode === 'forward' ? [] : readBreaks(older, newer, 'backward')),
    ...(mode === 'backward' ? [] : readBreaks(newer, older, 'forward')),
  ];
}

/** Throws an Error listing every break (`field: kind (direction)`, one per line); returns when there is none. */
export function assertCompatible(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): void {
  const breaks = checkCompatibility(older, newer, mode);
  if (breaks.length === 0) return;
  throw new Error(['schema change refused:', ...breaks.map((b) => `${b.field}: ${b.kind} (${b.direction})`)].join('\n'));
}
