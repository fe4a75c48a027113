/**
 * A small SQL-database interface with two implementations: PGlite (PostgreSQL compiled to
 * WebAssembly, in this process, the default) and a PostgreSQL server through `pg` when
 * `DATABASE_URL` is set. Lesson 14 runs the transactional outbox on it.
 *
 * @module
 */
export type { Database, QueryResult, Sql } from './types';
export { PgliteDatabase } from './pglite';
export { PostgresDatabase } from './postgres';
export { openDatabase, databaseUrl } from './connect';
