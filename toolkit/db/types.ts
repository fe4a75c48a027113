/** What a query returns. */
export interface QueryResult<Row> {
  /** The rows it returned (empty for a statement without `RETURNING`). */
  rows: Row[];
  /** Rows returned, or rows inserted, updated or deleted: 0 for `INSERT ... ON CONFLICT DO NOTHING` that hit a conflict. */
  rowCount: number;
}

/**
 * Something SQL can be sent to: the database itself (each query its own transaction) or an open
 * transaction. Parameters are `$1`, `$2`, ... as in PostgreSQL; never build SQL by pasting values in.
 *
 * Values come back as the same JavaScript types from either implementation: `bigint`/`bigserial`
 * and `count(*)` as numbers, `timestamptz` as `Date`, `numeric` as a string. A failed statement
 * throws an error whose `code` is PostgreSQL's SQLSTATE, e.g. `'23505'` for a unique violation.
 */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

/**
 * A SQL database: PostgreSQL, either a server (through `pg`) or PGlite, PostgreSQL compiled to
 * WebAssembly and running inside this process.
 */
export interface Database extends Sql {
  /** Which implementation this is. */
  readonly kind: 'pglite' | 'postgres';
  /** A one-line description for humans, e.g. where it is. */
  readonly description: string;
  /**
   * Runs `work` in one transaction: every statement it sends through `tx` commits together when
   * it resolves, and none does when it throws (the error is rethrown after the rollback).
   *
   * Inside `work`, send every statement through `tx`: calling the database's own `query` there
   * throws, because that statement would run outside the transaction (on PGlite, which has one
   * connection, it would also wait forever for the transaction to end).
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Closes the connection(s); the database cannot be used afterwards. */
  close(): Promise<void>;
}
