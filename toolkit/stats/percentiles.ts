/**
 * The `p`-th percentile of `values` (p in [0, 100]) by the nearest-rank method: the smallest value
 * that at least p% of the values are less than or equal to. It is always one of the values, never
 * an interpolation between two, so "p99 = 212 ms" means a request really took 212 ms.
 * `percentile(values, 50)` is the median, `percentile(values, 100)` the maximum.
 *
 * @returns NaN when `values` is empty.
 * @throws RangeError when `p` is outside [0, 100].
 * @example
 * percentile([5, 1, 4, 2, 3], 50); // 3
 * percentile([5, 1, 4, 2, 3], 90); // 5
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${String(p)}`);
  if (values.length === 0) return NaN;
  return sortedPercentile([...values].sort((a, b) => a - b), p);
}

function sortedPercentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The arithmetic mean of `values`; NaN when there are none. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** What {@link summarize} returns: how many values, their mean, median, tail and maximum. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The usual description of a latency distribution in one call (one sort). Every field but
 * `count` is NaN when `values` is empty.
 *
 * @example
 * summarize(latencies); // { count: 1000, mean: 12.5, p50: 10.1, p95: 30.2, p99: 55.0, max: 80.3 }
 */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? NaN : sortedPercentile(sorted, p));
  return { count: sorted.length, mean: mean(sorted), p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}
