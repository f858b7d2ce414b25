import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '@headwaters/core';
import type { UserRecord } from './identity.records';
import { checkEmail, checkPassword, checkUsername } from './account.service';
import { hashPassword } from './password';

const UNIQUE_VIOLATION = '23505';

/** A password made for someone, shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * What the operator does to accounts from the admin command line, where there is no page for it:
 * whoever runs it holds the database, so these use cases take no actor. They keep the rules of
 * the API (the same validation and messages); roles go through {@link RoleService.grantAsOperator}.
 */
@Injectable()
export class AccountAdminService {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates an account (ADMIN too if asked), signed in nowhere. */
  async createUser(input: { username: string; email: string; password: string; admin?: boolean }): Promise<UserRecord> {
    checkUsername(input.username);
    checkEmail(input.email);
    checkPassword(input.password);
    const hash = await hashPassword(input.password);
    return this.dataSource.transaction(async (tx) => {
      let user: UserRecord;
      try {
        [user] = await tx.query<UserRecord[]>(
          `INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, $3) RETURNING id, username, created_at AS "createdAt"`,
          [input.username, input.email.toLowerCase(), hash],
        );
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) {
          throw DomainError.conflict('USERNAME_TAKEN', `username: "${input.username}" is already taken (usernames ignore case)`, 'username');
        }
        throw error;
      }
      if (input.admin) await tx.query(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'ADMIN') ON CONFLICT DO NOTHING`, [user.id]);
      return user;
    });
  }

  /** Sets a user's password and ends every session of theirs (personal access tokens stay). */
  async resetPassword(username: string, password: string): Promise<{ user: UserRecord; revokedSessions: number }> {
    checkPassword(password);
    const hash = await hashPassword(password);
    return this.dataSource.transaction(async (tx) => {
      const [user] = await tx.query<UserRecord[]>(
        `WITH u AS (UPDATE app_user SET password_hash = $2, updated_at = now() WHERE lower(username) = lower($1) RETURNING id, username, created_at AS "createdAt") SELECT * FROM u`,
        [username, hash],
      );
      if (!user) throw userNotFound(username);
      const revoked = await tx.query<{ id: number }[]>(
        `WITH r AS (UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND kind = 'SESSION' AND revoked_at IS NULL RETURNING id) SELECT id FROM r`,
        [user.id],
      );
      return { user, revokedSessions: revoked.length };
    });
  }

  /** Revokes every live session and personal access token of a user. */
  async revokeTokens(username: string): Promise<{ user: UserRecord; revoked: number }> {
    return this.dataSource.transaction(async (tx) => {
      const [user] = await tx.query<UserRecord[]>(`SELECT id, username, created_at AS "createdAt" FROM app_user WHERE lower(username) = lower($1)`, [username]);
      if (!user) throw userNotFound(username);
      const revoked = await tx.query<{ id: number }[]>(
        `WITH r AS (UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM r`,
        [user.id],
      );
      return { user, revoked: revoked.length };
    });
  }
}

function userNotFound(username: string): DomainError {
  return DomainError.notFound('USER_NOT_FOUND', `username: nobody is called "${username}"`, 'username');
}
