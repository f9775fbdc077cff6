import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Inside `db.transaction(tx => …)`, a query sent through `db` instead of `tx` runs outside the
 * transaction on PostgreSQL and deadlocks PGlite's single connection forever. Both databases
 * refuse it at once, so the mistake fails the first test that reaches it.
 */
const openTransaction = new AsyncLocalStorage<{ open: boolean }>();

export class TransactionMisuseError extends Error {
  override name = 'TransactionMisuseError';
}

export function assertNoOpenTransaction(): void {
  if (openTransaction.getStore()?.open) {
    throw new TransactionMisuseError(
      'A query was sent through the database handle inside db.transaction(); use its tx handle',
    );
  }
}

/** Runs `work` marked as inside a transaction until it settles. */
export async function withinTransaction<T>(work: () => Promise<T>): Promise<T> {
  assertNoOpenTransaction();
  const marker = { open: true };
  try {
    return await openTransaction.run(marker, work);
  } finally {
    // Work started inside but still running later (a nudge, a timer) is no longer inside.
    marker.open = false;
  }
}

// Fields of a driver's error that may carry a query's values (a password hash, a token hash).
const VALUE_BEARING = ['params', 'parameters', 'detail', 'where', 'internalQuery'] as const;

/** Strips the values out of a failed query's error before it can reach a log line. */
export function scrubQueryError(error: unknown): unknown {
  if (error && typeof error === 'object') {
    for (const field of VALUE_BEARING) {
      if (field in error) {
        try {
          delete (error as Record<string, unknown>)[field];
        } catch {
          (error as Record<string, unknown>)[field] = undefined;
        }
      }
    }
  }
  return error;
}
