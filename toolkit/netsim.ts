/**
 * netsim: a deterministic, unreliable network in virtual time.
 *
 * The workbook's instrument for watching message passing go wrong on purpose: lose, duplicate,
 * delay and reorder messages, partition the network, crash nodes, and replay any run exactly from
 * its seed.
 *
 * (Notebooks import this file, `./toolkit/netsim`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './netsim/index';
