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

function has(schema: ObjectSchema, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(schema.properties ?? {}, field);
}

function requires(schema: ObjectSchema, field: string): boolean {
  return (schema.required ?? []).includes(field);
}

function fieldsOf(schema: ObjectSchema): string[] {
  return [...new Set([...Object.keys(schema.properties ?? {}), ...(schema.required ?? [])])];
}

/** Can a reader on `reader` read what a writer on `writer` wrote? Every reason it cannot. */
function readable(reader: ObjectSchema, writer: ObjectSchema, direction: Direction): Break[] {
  const breaks: Break[] = [];
  for (const field of fieldsOf(reader)) {
    if (requires(reader, field)) {
      if (!has(writer, field) && !requires(writer, field)) {
        breaks.push({ field, kind: direction === 'backward' ? 'added-required' : 'removed', direction });
      } else if (!requires(writer, field)) {
        breaks.push({ field, kind: direction === 'backward' ? 'made-required' : 'made-optional', direction });
      }
    }
    if (has(reader, field) && has(writer, field)) {
      if (JSON.stringify(reader.properties[field].type) !== JSON.stringify(writer.properties[field].type)) {
        breaks.push({ field, kind: 'type-changed', direction });
      }
    }
  }
  return breaks;
}

/** Every break of replacing `older` by `newer`, in the directions `mode` asks for. */
export function checkCompatibility(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): Break[] {
  const breaks: Break[] = [];
  if (mode === 'backward' || mode === 'full') breaks.push(...readable(newer, older, 'backward'));
  if (mode === 'forward' || mode === 'full') breaks.push(...readable(older, newer, 'forward'));
  return breaks;
}

/** Throws an Error listing every break (`field: kind (direction)`, one per line); returns when there is none. */
export function assertCompatible(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): void {
  const breaks = checkCompatibility(older, newer, mode);
  if (breaks.length === 0) return;
  throw new Error(breaks.map((b) => `${b.field}: ${b.kind} (${b.direction})`).join('\n'));
}
