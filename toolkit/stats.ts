/**
 * stats: the few numbers the lessons compute from their measured runs, such as latency
 * percentiles (p50, p99) and means.
 *
 * (Notebooks import this file, `./toolkit/stats`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './stats/index';
