import { describe, expect, it } from 'vitest';
import { float64Column, uint32Column, uint8Column, valueColumn } from './columns';

describe('chunked columns', () => {
  it('store and return values across chunk boundaries', () => {
    const floats = float64Column();
    const ints = uint32Column();
    const bytes = uint8Column();
    const values = valueColumn<{ n: number }>();
    const n = 200_000; // more than three chunks of 65,536
    for (let i = 0; i < n; i++) {
      floats.push(i + 0.25);
      ints.push(i * 7);
      bytes.push(i % 256);
      values.push({ n: i });
    }
    expect([floats.length, ints.length, bytes.length, values.length]).toEqual([n, n, n, n]);
    for (const i of [0, 65_535, 65_536, 131_072, n - 1]) {
      expect(floats.get(i)).toBe(i + 0.25);
      expect(ints.get(i)).toBe(i * 7);
      expect(bytes.get(i)).toBe(i % 256);
      expect(values.get(i)).toEqual({ n: i });
    }
  });
});
