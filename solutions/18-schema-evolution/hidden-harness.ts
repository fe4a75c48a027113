/**
 * What only the hidden checks of exercise 18 use: the README's table of breaks as a small model,
 * field by field, to compare a checker's every list with on random pairs of schemas.
 */

/** A schema as the checks give it. */
interface Schema {
  properties: Record<string, { type: string }>;
  required?: string[];
}

const presence = (s: Schema, name: string) => (!(name in s.properties) ? 'absent' : (s.required ?? []).includes(name) ? 'required' : 'optional');

/** The breaks the README's table lists for `older` to `newer`, as `field: kind (direction)`, sorted: every row that applies, so a retyped field can also be made optional or required. */
export function tableBreaks(older: Schema, newer: Schema): string[] {
  const breaks: string[] = [];
  for (const name of new Set([...Object.keys(older.properties), ...Object.keys(newer.properties)])) {
    const [o, n] = [presence(older, name), presence(newer, name)];
    if (o !== 'absent' && n !== 'absent' && older.properties[name].type !== newer.properties[name].type) {
      breaks.push(`${name}: type-changed (backward)`, `${name}: type-changed (forward)`);
    }
    if (n === 'required' && o === 'absent') breaks.push(`${name}: added-required (backward)`);
    if (n === 'required' && o === 'optional') breaks.push(`${name}: made-required (backward)`);
    if (o === 'required' && n === 'absent') breaks.push(`${name}: removed (forward)`);
    if (o === 'required' && n === 'optional') breaks.push(`${name}: made-optional (forward)`);
  }
  return breaks.sort();
}
