/**
 * netsim: see {@link ./netsim/index}. This file lets notebooks write `import ... from './toolkit/netsim'`
 * (tslab resolves a module path to a file, not to a folder's index).
 * @module
 */
export * from './netsim/index';
