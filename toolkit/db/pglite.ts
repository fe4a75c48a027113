import { PGlite, types } from '@electric-sql/pglite';
import { TransactionGuard } from './guard';
import { loadTemplate, saveTemplate } from './template';
import type { Database, QueryResult, Sql } from './types';

type Queryable = Pick<PGlite, 'query'>;

async function run<Row>(target: Queryable, text: string, params?: unknown[]): Promise<QueryResult<Row>> {
  const result = await target.query<Row>(text, params);
  // affectedRows counts written rows, rows.length returned ones; pg's rowCount is whichever applies.
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), in memory, inside this process: no server to
 * start. Its data lives as long as this object (a "crash" of the code using it does not lose it).
 *
 * PGlite has a single connection: statements and transactions run one at a time, never
 * interleaved. Code that is correct here because of that may race on a PostgreSQL server, where
 * transactions run concurrently; write it as you would for the server.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly description = 'PGlite (PostgreSQL in WebAssembly, in memory, in this process)';
  private readonly guard = new TransactionGuard();

  private constructor(private readonly pglite: PGlite) {}

  /**
   * Starts a fresh, empty database. That takes seconds of CPU: compiling PostgreSQL's WebAssembly,
   * and, the first time on a machine only, initdb (whose result is then saved for later starts).
   */
  static async create(): Promise<PgliteDatabase> {
    const parsers = { [types.INT8]: (value: string) => Number(value) };
    const template = await loadTemplate();
    if (template) {
      try {
        return new PgliteDatabase(await PGlite.create({ parsers, loadDataDir: template }));
      } catch {
        /* a damaged template: start from initdb, which saves a good one */
      }
    }
    const pglite = await PGlite.create({ parsers });
    await saveTemplate(pglite);
    return new PgliteDatabase(pglite);
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
    this.guard.checkOutside();
    return run<Row>(this.pglite, text, params);
  }

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    this.guard.checkOutside();
    return this.pglite.transaction((tx) => this.guard.run(() => work({ query: (text, params) => run(tx, text, params) })));
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
