/**
 * A small SQL-database interface with two implementations: PGlite (PostgreSQL compiled to
 * WebAssembly, in this process, the default) and a PostgreSQL server through `pg` when
 * `DATABASE_URL` is set. Lesson 14 runs the transactional outbox on it.
 *
 * (Notebooks import this file, `./toolkit/db`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './db/index';
