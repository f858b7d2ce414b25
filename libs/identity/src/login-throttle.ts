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

/**
 * Brute-force protection: after `maxFailures` failed logins in `windowMinutes`, per username and
 * per address, login is refused until the window frees a try. Kept in PostgreSQL, so it holds
 * across several server instances.
 */
export class LoginThrottle {
  constructor(private readonly limits: ThrottleLimits) {}

  async check(db: SqlRunner, usernameLower: string, address: string, now = new Date()): Promise<void> {
    const rows = await db.query<{ kind: 'user' | 'address'; failed_at: Date }[]>(
      `SELECT 'user' AS kind, failed_at FROM login_failure WHERE username_lower = $1 AND failed_at > $3::timestamptz - make_interval(mins => $4)
       UNION ALL
       SELECT 'address', failed_at FROM login_failure WHERE address = $2 AND failed_at > $3::timestamptz - make_interval(mins => $4)`,
      [usernameLower, address, now, this.limits.windowMinutes],
    );
    const until = [retryAfter(rows.filter((r) => r.kind === 'user').map((r) => r.failed_at), this.limits, now), retryAfter(rows.filter((r) => r.kind === 'address').map((r) => r.failed_at), this.limits, now)]
      .filter((d): d is Date => d !== null)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    if (until) {
      const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
      throw new DomainError('rate_limited', 'TOO_MANY_FAILED_LOGINS', `Too many failed logins: try again in ${seconds} s (after ${until.toISOString()})`);
    }
  }

  /** Records a failure (outside the failed request's transaction: it must stay) and prunes old ones. */
  async fail(db: SqlRunner, usernameLower: string, address: string): Promise<void> {
    await db.query(`INSERT INTO login_failure (username_lower, address) VALUES ($1, $2)`, [usernameLower, address]);
    if (Math.random() < 0.05) {
      await db.query(`DELETE FROM login_failure WHERE failed_at < now() - make_interval(mins => $1)`, [this.limits.windowMinutes * 2]);
    }
  }

  async succeed(db: SqlRunner, usernameLower: string): Promise<void> {
    await db.query(`DELETE FROM login_failure WHERE username_lower = $1`, [usernameLower]);
  }
}
