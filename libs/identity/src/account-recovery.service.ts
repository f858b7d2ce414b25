import { Injectable } from '@nestjs/common';
import { DomainError, type SqlRunner } from '@headwaters/core';
import { EMAIL, EMAIL_MAX, SESSION_DAYS, type UserRecord } from './identity.records';
import { hashPassword } from './password';
import { checkPassword } from './account.service';
import { hashToken, newToken } from './token';

/** What a one-time token proves: an address is yours, or you may set a new password. */
export type AccountTokenPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD';

/** How long a one-time token works, in minutes. */
export const ACCOUNT_TOKEN_MINUTES: Record<AccountTokenPurpose, number> = { VERIFY_EMAIL: 7 * 24 * 60, RESET_PASSWORD: 60 };

/** Someone's address and whether they proved it. */
export interface EmailRecord {
  userId: number;
  username: string;
  email: string;
  verified: boolean;
}

/** A password reset done: the user, signed in afresh. */
export interface ResetDone {
  user: UserRecord;
  token: string;
}

const BAD_TOKEN = () => DomainError.invalid('INVALID_TOKEN', 'token is unknown, already used or expired: ask for a new link', 'token');

/**
 * Proving an address and resetting a forgotten password with one-time tokens: random, sent by
 * mail, stored only as their SHA-256, single-use, expiring. The mails themselves are the
 * notifications library's; every method runs in the caller's transaction.
 */
@Injectable()
export class AccountRecoveryService {
  /** Users' addresses and whether each is verified, in key order (null: no such user). */
  async emailsOf(db: SqlRunner, userIds: readonly number[]): Promise<(EmailRecord | null)[]> {
    const rows = await db.query<EmailRecord[]>(
      `SELECT id AS "userId", username, email, email_verified_at IS NOT NULL AS verified FROM app_user WHERE id = ANY($1)`,
      [userIds],
    );
    const byId = new Map(rows.map((r) => [r.userId, r]));
    return userIds.map((id) => byId.get(id) ?? null);
  }

  /** The user with this address (addresses are kept in lower case), or null; never a deactivated account. Several may share one: the oldest. */
  async userByEmail(db: SqlRunner, email: string): Promise<EmailRecord | null> {
    const [row] = await db.query<EmailRecord[]>(
      `SELECT id AS "userId", username, email, email_verified_at IS NOT NULL AS verified FROM app_user WHERE email = $1 AND deactivated_at IS NULL ORDER BY id LIMIT 1`,
      [email.trim().toLowerCase()],
    );
    return row ?? null;
  }

  /** Changes a user's address; a new address is unverified until proved. Returns the record. */
  async changeEmail(tx: SqlRunner, userId: number, email: string): Promise<EmailRecord> {
    const address = email.trim().toLowerCase();
    if (address.length > EMAIL_MAX || !EMAIL.test(address)) throw DomainError.invalid('INVALID_EMAIL', 'email must be an e-mail address such as alice@example.org', 'email');
    const [row] = await tx.query<EmailRecord[]>(
      `WITH u AS (UPDATE app_user SET email = $2, email_verified_at = CASE WHEN email = $2 THEN email_verified_at END, updated_at = now() WHERE id = $1
       RETURNING id AS "userId", username, email, email_verified_at IS NOT NULL AS verified) SELECT * FROM u`,
      [userId, address],
    );
    return row;
  }

  /** A new one-time token for `purpose`, bound to the user's current address; shown once. */
  async issue(tx: SqlRunner, user: EmailRecord, purpose: AccountTokenPurpose): Promise<string> {
    const token = newToken();
    await tx.query(
      `INSERT INTO account_token (user_id, purpose, token_hash, email, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
      [user.userId, purpose, hashToken(token), user.email, ACCOUNT_TOKEN_MINUTES[purpose]],
    );
    return token;
  }

  /** Proves the address a VERIFY_EMAIL token was sent to, if it is still the user's. */
  async verifyEmail(tx: SqlRunner, token: string): Promise<EmailRecord> {
    const used = await this.consume(tx, token, 'VERIFY_EMAIL');
    const [row] = await tx.query<EmailRecord[]>(
      `WITH u AS (UPDATE app_user SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = $1 AND email = $2
       RETURNING id AS "userId", username, email, true AS verified) SELECT * FROM u`,
      [used.userId, used.email],
    );
    // The address changed since the link was sent: the link proves nothing any more.
    if (!row) throw BAD_TOKEN();
    return row;
  }

  /**
   * Sets a new password with a RESET_PASSWORD token: every session and token of the user is
   * revoked (and every other reset link), and a new session is issued. The reset also proves the
   * address the link was sent to.
   */
  async resetPassword(tx: SqlRunner, token: string, password: string): Promise<ResetDone> {
    checkPassword(password);
    const used = await this.consume(tx, token, 'RESET_PASSWORD');
    const hash = await hashPassword(password);
    const [user] = await tx.query<UserRecord[]>(
      `WITH u AS (UPDATE app_user SET password_hash = $2, email_verified_at = CASE WHEN email = $3 THEN coalesce(email_verified_at, now()) ELSE email_verified_at END, updated_at = now()
        WHERE id = $1 RETURNING id, username, created_at AS "createdAt") SELECT * FROM u`,
      [used.userId, hash, used.email],
    );
    await tx.query(`UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [used.userId]);
    await tx.query(`UPDATE account_token SET used_at = now() WHERE user_id = $1 AND purpose = 'RESET_PASSWORD' AND used_at IS NULL`, [used.userId]);
    const session = newToken();
    await tx.query(
      `INSERT INTO access_token (user_id, kind, name, token_hash, expires_at) VALUES ($1, 'SESSION', 'session', $2, now() + make_interval(days => $3))`,
      [used.userId, hashToken(session), SESSION_DAYS],
    );
    return { user, token: session };
  }

  /** Uses up a live token of `purpose`: BAD_USER_INPUT when unknown, used or expired. */
  private async consume(tx: SqlRunner, token: string, purpose: AccountTokenPurpose): Promise<{ userId: number; email: string }> {
    if (typeof token !== 'string' || token.length > 200) throw BAD_TOKEN();
    const [row] = await tx.query<{ user_id: number; email: string }[]>(
      `WITH t AS (UPDATE account_token SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id, email) SELECT * FROM t`,
      [hashToken(token), purpose],
    );
    if (!row) throw BAD_TOKEN();
    return { userId: row.user_id, email: row.email };
  }
}
