/**
 * How values cross between the checks' process and the submission's (see membrane.ts): as JSON,
 * with a tag for what JSON cannot say.
 *
 * Data is copied: numbers (NaN, infinities and -0 too), strings, booleans, null, undefined,
 * bigints, arrays, plain objects, dates, maps, sets, byte arrays, regular expressions, and errors
 * (their own properties, over their prototype). Everything else crosses as a reference to an
 * object that stays where it was made: functions, class instances, classes, promises (settled
 * later by a message of their own), symbols. The built-in prototypes and constructors are named,
 * so that an error of a class of the submission's is still `instanceof Error` on the checks' side.
 * @module
 */

/** A value on the wire. */
export type Wire =
  | null
  | boolean
  | number
  | string
  | { u: 1 } // undefined
  | { n: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { b: string } // bigint
  | { sw: string } // a well-known symbol (Symbol.iterator...)
  | { sf: string } // a registered symbol (Symbol.for)
  | { y: number } // a symbol of the sender's own
  | { r: number; f?: 1; ms?: string[] } // an object of the sender's; f: callable; ms: its prototypes' methods, the first time it crosses
  | { l: number } // an object of the receiver's, coming back
  | { p: number } // a promise of the sender's
  | { i: string } // an intrinsic (Object.prototype, Error...)
  | { a: Wire[]; c: number } // an array, with the sender's id for it
  | { o: [string, Wire][]; c: number; np?: 1 } // a plain object; np: null prototype
  | { d: number } // a date
  | { re: [string, string] }
  | { m: [Wire, Wire][] }
  | { st: Wire[] }
  | { u8: string } // bytes, base64
  | { e: { proto: Wire; props: [string, Wire][] }; c: number }; // an error

/** The built-in objects both sides have, by name: crossing, they stay themselves. */
export const INTRINSICS: [string, object][] = [
  ['Object', Object],
  ['Array', Array],
  ['Promise', Promise],
  ['Map', Map],
  ['Set', Set],
  ['Date', Date],
  ['RegExp', RegExp],
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['AggregateError', AggregateError],
  ['DOMException', DOMException],
].flatMap(([name, value]) => [
  [String(name), value as object],
  [`${String(name)}.prototype`, (value as { prototype: object }).prototype],
]);
// The constructor of functions is left out on purpose: it makes code from text.
INTRINSICS.push(['Function.prototype', Function.prototype]);

/** The well-known symbols, by name. */
export const WELL_KNOWN_SYMBOLS = new Map<string, symbol>(
  (['iterator', 'asyncIterator', 'hasInstance', 'toPrimitive', 'toStringTag', 'species', 'isConcatSpreadable'] as const).map((name) => [name, Symbol[name]]),
);

/** Names of the numbers JSON cannot hold. */
export function specialNumber(value: number): 'NaN' | 'Infinity' | '-Infinity' | '-0' | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return undefined;
}
