/**
 * http: see {@link ./http/index}. This file lets notebooks write `import ... from './toolkit/http'`
 * (tslab resolves a module path to a file, not to a folder's index).
 * @module
 */
export * from './http/index';
