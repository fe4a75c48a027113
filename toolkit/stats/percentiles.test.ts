import { describe, expect, it } from 'vitest';
import { mean, percentile, summarize } from './index';

describe('percentile', () => {
  it('uses the nearest rank: always one of the values', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 20)).toBe(1);
    expect(percentile(values, 21)).toBe(2);
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 90)).toBe(5);
    expect(percentile(values, 100)).toBe(5);
  });

  it('gives p99 of 1..1000 as 990 and leaves its input unsorted', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(values, 99)).toBe(990);
    expect(values[0]).toBe(1000);
  });

  it('is NaN for no values and rejects a p outside [0, 100] by name', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(/percentile must be in \[0, 100\], got 101/);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('mean and summarize', () => {
  it('describe a distribution in one call', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(mean(values)).toBe(50.5);
    expect(summarize(values)).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('report NaN, not a crash, for an empty run', () => {
    expect(mean([])).toBeNaN();
    expect(summarize([])).toEqual({ count: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN });
  });
});
