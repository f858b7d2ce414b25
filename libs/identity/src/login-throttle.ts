import { DomainError, type SqlRunner } from '@headwaters/core';

export interface ThrottleLimits {
  maxFailures: number;
  windowMinutes: number;
}

/**
 * When login may be tried again, given the failures in the window (oldest first), or null when
 * it may be tried now. Pure: the window slides, so the oldest failure leaving it frees one try.
 */
export function retryAfter(failures: readonly Date[], limits: ThrottleLimits, now: Date): Date | null {
  const windowStart = now.getTime() - limits.windowMinutes * 60_000;
  const recent = failures.filter((f) => f.getTime() > windowStart).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < limits.maxFailures) return null;
  return new Date(recent[recent.length - limits.maxFailures].getTime() + limits.windowMinutes * 60_000);
}

/** Runs work in one transaction (a DataSource's `transaction`, as the account service has). */
export type InTransaction = <T>(work: (tx: SqlRunner) => Promise<T>) => Promise<T>;

/** Advisory-lock classes: one lock per username and one per address while an attempt is admitted. */
const USER_LOCK = 0x4c_55;
const ADDRESS_LOCK = 0x4c_41;

/**
 * Brute-force protection, kept in PostgreSQL so that every instance shares it.
 *
 * - Per address: after `maxFailures` failed logins from one address in `windowMinutes`, that
 *   address may not try any username until the window frees a try.
 * - Per username: after `maxFailures` failures for one username, the addresses that failed for it
 *   may not try it again; an address that has not failed for it still may (as GitHub and
 *   Launchpad do), so nobody can lock someone out of their account by failing on purpose.
 *
 * Admission is atomic: an attempt takes the username's and the address's advisory locks (in that
 * order, so two attempts never wait on each other in a cycle), counts, and records itself as a
 * failure before the password is checked; a success then removes the username's failures. So 50
 * wrong passwords sent at once get at most `maxFailures` checks.
 */
export class LoginThrottle {
  constructor(private readonly limits: ThrottleLimits) {}

  /** Admits one attempt (recorded as a failure until {@link succeed}) or throws RATE_LIMITED. */
  async admit(transaction: InTransaction, usernameLower: string, address: string, now = new Date()): Promise<void> {
    await transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${USER_LOCK}, hashtext($1))`, [usernameLower]);
      await tx.query(`SELECT pg_advisory_xact_lock(${ADDRESS_LOCK}, hashtext($1))`, [address]);
      const rows = await tx.query<{ by_user: boolean; by_address: boolean; failed_at: Date }[]>(
        `SELECT username_lower = $1 AS by_user, address = $2 AS by_address, failed_at FROM login_failure
          WHERE (username_lower = $1 OR address = $2) AND failed_at > $3::timestamptz - make_interval(mins => $4)`,
        [usernameLower, address, now, this.limits.windowMinutes],
      );
      const byAddress = retryAfter(rows.filter((r) => r.by_address).map((r) => r.failed_at), this.limits, now);
      const failedHere = rows.some((r) => r.by_user && r.by_address);
      const byUser = failedHere ? retryAfter(rows.filter((r) => r.by_user).map((r) => r.failed_at), this.limits, now) : null;
      const until = [byAddress, byUser].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
      if (until) {
        const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
        throw new DomainError('rate_limited', 'TOO_MANY_FAILED_LOGINS', `Too many failed logins: try again in ${seconds} s (after ${until.toISOString()})`);
      }
      await tx.query(`INSERT INTO login_failure (username_lower, address, failed_at) VALUES ($1, $2, $3)`, [usernameLower, address, now]);
      if (Math.random() < 0.05) {
        await tx.query(`DELETE FROM login_failure WHERE failed_at < $1::timestamptz - make_interval(mins => $2)`, [now, this.limits.windowMinutes * 2]);
      }
    });
  }

  /** The password was right: the username's failures (this attempt's record included) go. */
  async succeed(db: SqlRunner, usernameLower: string): Promise<void> {
    await db.query(`DELETE FROM login_failure WHERE username_lower = $1`, [usernameLower]);
  }
}
