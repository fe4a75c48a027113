/**
 * A small interface over a log with consumer groups, with two implementations: Redis Streams
 * (through the `redis` client) and an in-process stream server with the same semantics, so
 * lesson 15 runs with or without a real Redis.
 *
 * (Notebooks import this file, `./toolkit/stream`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './stream/index';
