import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'sequelize';
import type { Role } from '@therapy-field/sync';

/**
 * Who the database sees as acting. A `user` runs on the app role, subject to row-level security
 * with `app.current_user_id` / `app.current_user_role` set; `system` is the platform itself
 * (change feed, delivery, reminders, retention, domain event subscribers) on the system role.
 */
export type DatabaseIdentity = { kind: 'user'; userId: string; role: Role } | { kind: 'system' };

/**
 * One unit of work for one identity: each database it touches gets one transaction, opened by the
 * first query and committed when the work ends (rolled back when it fails).
 */
export class DatabaseScope {
  /** Keyed by the scoped Sequelize instance, so two platforms in one process never share one. */
  readonly transactions = new Map<object, Promise<Transaction>>();
  private readonly afterCommit: Array<() => void> = [];
  private rollbackOnly = false;
  ended = false;

  constructor(readonly identity: DatabaseIdentity) {}

  /** Run `callback` once this scope's transactions have committed; never when they roll back. */
  onCommit(callback: () => void): void {
    this.afterCommit.push(callback);
  }

  /** The work answered with a refusal it may not keep half of (an unexpected error): roll back at the end. */
  markRollbackOnly(): void {
    this.rollbackOnly = true;
  }

  async end(failed: boolean): Promise<void> {
    this.ended = true;
    const opened = await Promise.allSettled(this.transactions.values());
    const transactions = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (failed || this.rollbackOnly || opened.some((result) => result.status === 'rejected')) {
      await Promise.allSettled(transactions.map((transaction) => transaction.rollback()));
      return;
    }
    await Promise.all(transactions.map((transaction) => transaction.commit()));
    for (const callback of this.afterCommit) callback();
  }
}

const scopes = new AsyncLocalStorage<DatabaseScope>();

/** The scope the current async work runs in, if any. */
export function currentScope(): DatabaseScope | undefined {
  return scopes.getStore();
}

/**
 * Runs `work` as `identity`: every query through a scoped Sequelize joins this scope's transaction
 * (explicit `sequelize.transaction(...)` calls become savepoints in it). Commits when `work`
 * resolves, rolls back when it throws (or was marked rollback-only).
 */
export async function runAs<T>(identity: DatabaseIdentity, work: (scope: DatabaseScope) => Promise<T>): Promise<T> {
  const scope = new DatabaseScope(identity);
  let result: T;
  try {
    result = await scopes.run(scope, () => work(scope));
  } catch (error) {
    await scope.end(true);
    throw error;
  }
  await scope.end(false);
  return result;
}

/** Runs `work` as the signed-in user `{ id, role }`. */
export function runAsUser<T>(user: { id: string; role: Role }, work: () => Promise<T>): Promise<T> {
  return runAs({ kind: 'user', userId: user.id, role: user.role }, work);
}

/** Runs `work` as the platform itself, across users, on the system role (row-level security does not apply). */
export function runAsSystem<T>(work: () => Promise<T>): Promise<T> {
  return runAs({ kind: 'system' }, work);
}

/**
 * Runs `callback` after the current scope commits (dropped if it rolls back), or now outside a
 * scope. Domain events go out this way: a subscriber must not see, or act on, uncommitted work.
 */
export function afterCommit(callback: () => void): void {
  const scope = currentScope();
  if (scope && !scope.ended) scope.onCommit(callback);
  else callback();
}
