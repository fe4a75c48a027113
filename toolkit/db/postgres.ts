import pg from 'pg';
import { TransactionGuard } from './guard';
import type { Database, QueryResult, Sql } from './types';

/** The same JavaScript types as PGlite gives: int8 (bigserial, count(*)) as a number. */
const TYPES = new pg.TypeOverrides();
TYPES.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

async function run<Row>(target: pg.Pool | pg.PoolClient, text: string, params?: unknown[]): Promise<QueryResult<Row>> {
  const result = await target.query(text, params);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

/** A PostgreSQL server, through a pool of `pg` connections. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly guard = new TransactionGuard();

  /** @param url a PostgreSQL URL, e.g. `postgres://user:password@127.0.0.1:5432/workbook` */
  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, types: TYPES, max: 5 });
    this.pool.on('error', () => {}); // an idle connection that drops is replaced; no need to crash
    this.description = `PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//')}`;
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
    this.guard.checkOutside();
    return run<Row>(this.pool, text, params);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    this.guard.checkOutside();
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await this.guard.run(() => work({ query: (text, params) => run(client, text, params) }));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection itself failed: do not hand it out again
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
