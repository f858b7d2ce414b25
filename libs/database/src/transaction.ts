import { DomainError, type SqlRunner } from '@headwaters/core';

/** What runs a transaction: a TypeORM DataSource, or anything with the same `transaction`. */
export interface Transactional {
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** PostgreSQL's codes for a transaction that lost a race and may simply run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** The longest pause between two attempts. */
const MAX_PAUSE_MS = 500;

/** Attempts of a use case before a lost race is given up (and reported). */
export const TRANSACTION_ATTEMPTS = 10;

/**
 * Whether another attempt may avoid the error: a serialization failure, a deadlock, or a
 * conflict the use case saw as a lost race (DomainError.busy).
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof DomainError) return error.retryable;
  const code = (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ?? (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs one use case in one transaction, `tx` passed to everything it calls. A serialization
 * failure, a deadlock or a lost race (DomainError.busy) rolls the attempt back and runs the whole use case again, at most
 * {@link TRANSACTION_ATTEMPTS} times, after a random pause whose bound doubles each time up to
 * half a second (so the racers do not meet again); nothing of a failed attempt is kept. Anything else is thrown as is.
 */
export async function inTransaction<T>(db: Transactional, work: (tx: SqlRunner) => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_PAUSE_MS, 5 * 2 ** attempt)));
    }
  }
}
