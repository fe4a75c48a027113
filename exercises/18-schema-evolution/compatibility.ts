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

/** Every break of replacing `older` by `newer`, in the directions `mode` asks for. */
export function checkCompatibility(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): Break[] {
  throw new Error('TODO: checkCompatibility (exercise 18)');
}

/** Throws an Error listing every break (`field: kind (direction)`, one per line); returns when there is none. */
export function assertCompatible(older: ObjectSchema, newer: ObjectSchema, mode: Direction | 'full'): void {
  throw new Error('TODO: assertCompatible (exercise 18)');
}
