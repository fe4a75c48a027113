import { PgliteDatabase } from './pglite';
import { PostgresDatabase } from './postgres';
import type { Database } from './types';

/** `DATABASE_URL` from the environment, or undefined when it is not set. */
export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * A PostgreSQL database: the server at `url` (default `DATABASE_URL`) when one is given, else a
 * fresh in-memory PGlite in this process. Its first start in a process takes a few seconds.
 * @throws Error naming the server when `url` is given and no PostgreSQL answers there.
 */
export async function openDatabase(options: { url?: string } = {}): Promise<Database> {
  const url = options.url ?? databaseUrl();
  if (!url) return PgliteDatabase.create();
  const db = new PostgresDatabase(url);
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`No PostgreSQL answered at ${db.description.replace('PostgreSQL at ', '')} (${reason}). Unset DATABASE_URL to use PGlite in this process instead.`, { cause: error });
  }
  return db;
}
