/**
 * stats: the few numbers the lessons compute from their measured runs, such as latency
 * percentiles (p50, p99) and means.
 *
 * @module
 */
export { percentile, mean, summarize, type Summary } from './percentiles';
