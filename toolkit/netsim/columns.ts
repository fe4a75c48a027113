/**
 * Append-only columns for the trace: values stored in fixed-size chunks, so that growing never
 * copies what is already stored. (Doubling one big array would touch every byte twice, and fresh
 * memory is what a long traced run mostly pays for.)
 */
const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK_SIZE - 1;

type Chunk = Float64Array | Uint32Array | Uint8Array | unknown[];

/** A growable column of values of one type. */
class ChunkedColumn<C extends Chunk, V> {
  private readonly chunks: C[] = [];
  private current: C;
  private count = 0;

  constructor(private readonly makeChunk: (size: number) => C) {
    this.current = makeChunk(0);
  }

  /** How many values are stored. */
  get length(): number {
    return this.count;
  }

  push(value: V): void {
    const offset = this.count & OFFSET_MASK;
    if (offset === 0) {
      this.current = this.makeChunk(CHUNK_SIZE);
      this.chunks.push(this.current);
    }
    this.current[offset] = value;
    this.count++;
  }

  /** The value at `index` (which must be < length). */
  get(index: number): V {
    return this.chunks[index >>> CHUNK_BITS][index & OFFSET_MASK] as V;
  }
}

/** A column of 64-bit floats. */
export const float64Column = () => new ChunkedColumn<Float64Array, number>((size) => new Float64Array(size));
/** A column of integers in [0, 2^32). */
export const uint32Column = () => new ChunkedColumn<Uint32Array, number>((size) => new Uint32Array(size));
/** A column of integers in [0, 256). */
export const uint8Column = () => new ChunkedColumn<Uint8Array, number>((size) => new Uint8Array(size));
/** A column of any values (references are kept alive). */
export const valueColumn = <V>() => new ChunkedColumn<unknown[], V>((size) => new Array<unknown>(size));
