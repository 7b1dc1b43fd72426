import { QueryTypes, type Sequelize, type Transaction, type TransactionOptions } from 'sequelize';
import { currentScope, type DatabaseIdentity, type DatabaseScope } from './context.js';

type QueryOptions = { transaction?: Transaction | null } & Record<string, unknown>;
type TransactionWork<T> = (transaction: Transaction) => PromiseLike<T>;

/**
 * Makes `app` (a pool logged in as the app role) follow the current DatabaseScope, so services
 * need no change: a query joins the scope's transaction, which was opened with the acting user set
 * (`set_config(..., true)`, transaction-local) or, for the system identity, on `system`'s pool.
 * Explicit `transaction(work)` calls become savepoints of that transaction. Outside any scope a
 * query runs as nobody: no user is set and row-level security hides every personal row.
 *
 * Sequelize's own CLS support is not used: it cannot open the transaction lazily (a request that
 * never queries holds no connection), route the system identity to another pool, or serve work
 * that outlives its scope (a subscriber's late query gets a transaction of its own).
 */
export function scopeSequelize(app: Sequelize, system: Sequelize): Sequelize {
  const query = app.query.bind(app) as (sql: unknown, options?: QueryOptions) => Promise<unknown>;
  const transaction = app.transaction.bind(app) as (options?: TransactionOptions, work?: TransactionWork<unknown>) => Promise<unknown>;

  const begin = async (identity: DatabaseIdentity): Promise<Transaction> => {
    const opened = (identity.kind === 'system' ? await system.transaction() : await transaction()) as Transaction;
    try {
      const [userId, role] = identity.kind === 'system' ? ['', 'system'] : [identity.userId, identity.role];
      await query(`SELECT set_config('app.current_user_id', $1, true), set_config('app.current_user_role', $2, true)`, {
        bind: [userId, role],
        type: QueryTypes.SELECT,
        transaction: opened,
      });
    } catch (error) {
      await opened.rollback().catch(() => undefined);
      throw error;
    }
    return opened;
  };

  const scopeTransaction = (scope: DatabaseScope): Promise<Transaction> => {
    let opened = scope.transactions.get(app);
    if (!opened) {
      opened = begin(scope.identity);
      scope.transactions.set(app, opened);
    }
    return opened;
  };

  /** Work that outlived its scope (a late subscriber, a timer) gets a short transaction of its own, as the same identity. */
  const alone = async <T>(identity: DatabaseIdentity, work: (transaction: Transaction) => Promise<T>): Promise<T> => {
    const opened = await begin(identity);
    try {
      const result = await work(opened);
      await opened.commit();
      return result;
    } catch (error) {
      await opened.rollback().catch(() => undefined);
      throw error;
    }
  };

  const scoped = async (sql: unknown, options?: QueryOptions): Promise<unknown> => {
    const scope = currentScope();
    if (options?.transaction || !scope) return query(sql, options);
    if (scope.ended) return alone(scope.identity, (own) => query(sql, { ...options, transaction: own }));
    return query(sql, { ...options, transaction: await scopeTransaction(scope) });
  };

  const scopedTransaction = async (optionsOrWork?: TransactionOptions | TransactionWork<unknown>, work?: TransactionWork<unknown>): Promise<unknown> => {
    const options = typeof optionsOrWork === 'function' ? {} : (optionsOrWork ?? {});
    const callback = typeof optionsOrWork === 'function' ? optionsOrWork : work;
    const scope = currentScope();
    if (options.transaction || !scope) return transaction(options, callback);
    if (scope.ended) {
      if (!callback) throw new Error('an unmanaged transaction cannot outlive its database scope');
      return alone(scope.identity, (own) => transaction({ ...options, transaction: own }, callback) as Promise<unknown>);
    }
    return transaction({ ...options, transaction: await scopeTransaction(scope) }, callback);
  };

  Object.assign(app, { query: scoped, transaction: scopedTransaction });
  return app;
}
