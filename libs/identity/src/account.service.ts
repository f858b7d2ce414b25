import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { DomainError, prepared, type Actor, type SqlRunner } from '@headwaters/core';
import { EMAIL, EMAIL_MAX, SESSION_DAYS, USERNAME, type AccessTokenRecord, type UserRecord } from './identity.records';
import { LoginThrottle } from './login-throttle';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from './password';
import { authorize } from './policy';
import { hashToken, newToken } from './token';

const UNIQUE_VIOLATION = '23505';

/** A token just made: its secret is shown this once. */
export interface IssuedToken {
  user: UserRecord;
  token: string;
  accessToken: AccessTokenRecord;
}

const TOKEN_COLUMNS = `id, kind, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt"`;

/** Users whose public record {@link AccountService.usersByIds} keeps in memory. */
export const KNOWN_USERS = 50_000;

/** Accounts and their tokens: register, log in and out, personal access tokens. */
/** People by id: every page naming reporters, authors or actors reads them (prepared). */
const USERS_BY_IDS_SQL = prepared(`SELECT id, username, created_at AS "createdAt" FROM app_user WHERE id = ANY($1)`);

@Injectable()
export class AccountService {
  private readonly throttle: LoginThrottle;
  /** Public user records (id, username, since) never change once made, so any read one is kept. */
  private readonly known = new Map<number, UserRecord>();

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.throttle = new LoginThrottle({ maxFailures: config.LOGIN_MAX_FAILURES, windowMinutes: config.LOGIN_WINDOW_MINUTES });
  }

  async register(username: string, email: string, password: string): Promise<IssuedToken> {
    checkUsername(username);
    checkEmail(email);
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (tx) => {
      let user: UserRecord;
      try {
        [user] = await tx.query<UserRecord[]>(
          `INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, $3) RETURNING id, username, created_at AS "createdAt"`,
          [username, email.toLowerCase(), passwordHash],
        );
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
          throw DomainError.conflict('USERNAME_TAKEN', `username: "${username}" is already taken (usernames ignore case)`, 'username');
        }
        throw error;
      }
      return this.issue(tx, user, 'SESSION', 'session', SESSION_DAYS);
    });
  }

  /**
   * Wrong password and unknown user get the same answer, after the same work. Failures count per
   * username and per address; too many in the window and login pauses (RATE_LIMITED), for a
   * username only from the addresses that failed for it (see {@link LoginThrottle}).
   */
  async login(username: string, password: string, address: string): Promise<IssuedToken> {
    const lower = username.toLowerCase();
    await this.throttle.admit((work) => this.dataSource.transaction((tx) => work(tx)), lower, address);
    const [row] = await this.dataSource.query<(UserRecord & { password_hash: string })[]>(
      `SELECT id, username, created_at AS "createdAt", password_hash FROM app_user WHERE lower(username) = $1 AND deactivated_at IS NULL`,
      [lower],
    );
    const ok = await verifyPassword(row?.password_hash ?? null, password);
    if (!row || !ok) {
      // The attempt was recorded as a failure when admitted: it stays one.
      throw DomainError.unauthenticated('WRONG_CREDENTIALS', 'Wrong username or password');
    }
    return this.dataSource.transaction(async (tx) => {
      await this.throttle.succeed(tx, lower);
      return this.issue(tx, { id: row.id, username: row.username, createdAt: row.createdAt }, 'SESSION', 'session', SESSION_DAYS);
    });
  }

  /** Changes the actor's password; their other sessions end, this one and personal tokens stay. */
  async changePassword(actor: Actor | null, current: string, next: string): Promise<void> {
    const who = authorize(actor, 'account.changePassword');
    checkPassword(next);
    const [row] = await this.dataSource.query<{ password_hash: string }[]>(`SELECT password_hash FROM app_user WHERE id = $1`, [who.userId]);
    if (!(await verifyPassword(row?.password_hash ?? null, current))) {
      throw DomainError.invalid('WRONG_PASSWORD', 'currentPassword is not your current password', 'currentPassword');
    }
    const hash = await hashPassword(next);
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1`, [who.userId, hash]);
      await tx.query(`UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND kind = 'SESSION' AND revoked_at IS NULL AND id IS DISTINCT FROM $2`, [who.userId, who.tokenId ?? null]);
    });
  }

  /** Revokes the token the request came with. */
  async logout(actor: Actor | null): Promise<void> {
    const who = authorize(actor, 'token.manage');
    if (who.tokenId === undefined) return;
    await this.dataSource.query(`UPDATE access_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [who.tokenId]);
  }

  /** Revokes every session of the actor (log out everywhere); personal access tokens stay. */
  async revokeSessions(actor: Actor | null): Promise<number> {
    const who = authorize(actor, 'token.manage');
    const rows = await this.dataSource.query<{ id: number }[]>(
      `WITH revoked AS (UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND kind = 'SESSION' AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [who.userId],
    );
    return rows.length;
  }

  /** A named token for tools and scripts, optionally expiring. */
  async createPersonalToken(actor: Actor | null, name: string, expiresInDays: number | null): Promise<IssuedToken> {
    const who = authorize(actor, 'token.manage');
    const label = name.trim();
    if (label.length < 1 || label.length > 100) throw DomainError.invalid('INVALID_NAME', 'name must be 1 to 100 characters', 'name');
    return this.dataSource.transaction(async (tx) => {
      const [user] = await tx.query<UserRecord[]>(`SELECT id, username, created_at AS "createdAt" FROM app_user WHERE id = $1`, [who.userId]);
      return this.issue(tx, user, 'PERSONAL', label, expiresInDays);
    });
  }

  /** The actor's live tokens (never their secrets), newest first. */
  async listTokens(actor: Actor | null): Promise<AccessTokenRecord[]> {
    const who = authorize(actor, 'token.manage');
    return this.dataSource.query<AccessTokenRecord[]>(
      `SELECT ${TOKEN_COLUMNS} FROM access_token WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY id DESC`,
      [who.userId],
    );
  }

  /**
   * The actor's own live tokens with these ids, in the order asked; null for any other id,
   * someone else's token included (and for every id when anonymous).
   */
  async tokensByIds(actor: Actor | null, ids: readonly number[]): Promise<(AccessTokenRecord | null)[]> {
    if (!actor || ids.length === 0) return ids.map(() => null);
    const rows = await this.dataSource.query<AccessTokenRecord[]>(
      `SELECT ${TOKEN_COLUMNS} FROM access_token WHERE id = ANY($1) AND user_id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [ids, actor.userId],
    );
    const byId = new Map(rows.map((row) => [Number(row.id), row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Revokes one of the actor's own tokens; someone else's is NOT_FOUND, as if it did not exist. */
  async revokeToken(actor: Actor | null, tokenId: number): Promise<AccessTokenRecord> {
    const who = authorize(actor, 'token.manage');
    const rows = await this.dataSource.query<AccessTokenRecord[]>(
      `WITH revoked AS (UPDATE access_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}) SELECT * FROM revoked`,
      [tokenId, who.userId],
    );
    if (!rows[0]) throw DomainError.notFound('TOKEN_NOT_FOUND', 'id names no live token of yours', 'id');
    return rows[0];
  }

  /**
   * Users' public records, by id (null for none). Nearly every response names users (reporters,
   * authors, actors), mostly the same ones, and their public records never change: the
   * {@link KNOWN_USERS} most recently read stay in memory, and only the others cost a statement.
   */
  /** The public record of a user already read, without a statement; undefined when it is not in memory. */
  knownUser(id: number): UserRecord | undefined {
    return this.known.get(id);
  }

  async usersByIds(ids: readonly number[]): Promise<(UserRecord | null)[]> {
    const missing = ids.filter((id) => !this.known.has(id));
    const read = new Map<number, UserRecord>();
    if (missing.length) {
      const rows = await this.dataSource.query<UserRecord[]>(USERS_BY_IDS_SQL, [missing]);
      for (const row of rows) {
        read.set(row.id, row);
        if (this.known.size >= KNOWN_USERS) this.known.delete(this.known.keys().next().value!);
        this.known.set(row.id, row);
      }
    }
    return ids.map((id) => this.known.get(id) ?? read.get(id) ?? null);
  }

  private async issue(tx: SqlRunner, user: UserRecord, kind: 'SESSION' | 'PERSONAL', name: string, days: number | null): Promise<IssuedToken> {
    const token = newToken();
    const [accessToken] = await tx.query<AccessTokenRecord[]>(
      `INSERT INTO access_token (user_id, kind, name, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
       RETURNING ${TOKEN_COLUMNS}`,
      [user.id, kind, name, hashToken(token), days],
    );
    return { user, token, accessToken };
  }
}

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) throw DomainError.invalid('INVALID_USERNAME', 'username must be 2 to 39 letters, digits, "-" or "_"', 'username');
}

export function checkEmail(email: string): void {
  if (email.length > EMAIL_MAX || !EMAIL.test(email)) throw DomainError.invalid('INVALID_EMAIL', 'email must be an e-mail address such as alice@example.org', 'email');
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw DomainError.invalid('WEAK_PASSWORD', `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`, 'password');
  }
}
