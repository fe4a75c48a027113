import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Knows which database's transaction the running code is inside, so that a statement sent to
 * the database instead of to the open transaction fails loudly instead of running outside it.
 */
export class TransactionGuard {
  private readonly inside = new AsyncLocalStorage<true>();

  /** Runs `work` marked as inside a transaction of this database. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.inside.run(true, work);
  }

  /** Throws when called from inside a transaction of this database. */
  checkOutside(): void {
    if (this.inside.getStore()) {
      throw new Error('the database was used directly inside db.transaction(): send every statement through the transaction (tx.query), or it runs outside it');
    }
  }
}
