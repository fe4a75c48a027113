/**
 * queue: see {@link ./queue/index}. This file lets notebooks write `import ... from './toolkit/queue'`
 * (tslab resolves a module path to a file, not to a folder's index).
 * @module
 */
export * from './queue/index';
