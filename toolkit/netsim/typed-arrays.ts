type NumberArray = Float64Array | Uint32Array | Uint8Array;

/**
 * A copy of `from` in a new array of the same type with room for `size` elements (the rest zero):
 * how netsim's typed-array stores grow.
 */
export function grown<A extends NumberArray>(from: A, size: number): A {
  const to = new (from.constructor as new (length: number) => A)(size);
  to.set(from);
  return to;
}
