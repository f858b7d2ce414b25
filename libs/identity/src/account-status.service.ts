import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor, type Grant, type SqlRunner } from '@headwaters/core';
import type { UserRecord } from './identity.records';
import { authorize } from './policy';

/**
 * Whether an account is still in use, and who its holder is now: deactivated accounts (admins
 * deactivate them) sign in no more, and every notice asks here again before it leaves, so a
 * role lost or an account closed since an event takes effect at once.
 */
@Injectable()
export class AccountStatusService {
  constructor(private readonly dataSource: DataSource) {}

  /** Deactivates an account: its tokens are revoked and it is told of nothing any more. Admins; not yourself. */
  deactivate(actor: Actor | null, username: string): Promise<UserRecord> {
    const admin = authorize(actor, 'role.manage');
    return this.dataSource.transaction(async (tx) => {
      const [user] = await tx.query<(UserRecord & { deactivated: boolean })[]>(
        `SELECT id, username, created_at AS "createdAt", deactivated_at IS NOT NULL AS deactivated FROM app_user WHERE lower(username) = lower($1) FOR UPDATE`,
        [username],
      );
      if (!user) throw DomainError.notFound('USER_NOT_FOUND', `username: nobody is called "${username}"`, 'username');
      if (user.id === admin.userId) throw DomainError.conflict('SELF_DEACTIVATION', 'username: you cannot deactivate your own account', 'username');
      if (user.deactivated) throw DomainError.conflict('ALREADY_DEACTIVATED', `username: ${user.username} is already deactivated`, 'username');
      await tx.query(`UPDATE app_user SET deactivated_at = now(), updated_at = now() WHERE id = $1`, [user.id]);
      await tx.query(`UPDATE access_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
      return { id: user.id, username: user.username, createdAt: user.createdAt };
    });
  }

  /** Each user as an actor with their grants as they are now; null for a deactivated or unknown account. In key order. */
  async currentActors(db: SqlRunner, userIds: readonly number[]): Promise<(Actor | null)[]> {
    if (userIds.length === 0) return [];
    const rows = await db.query<{ id: number; username: string; grants: Grant[] }[]>(
      `SELECT u.id, u.username,
              coalesce(json_agg(json_build_object('role', g.role, 'upstreamId', g.upstream_id, 'componentId', g.component_id)) FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
         FROM app_user u LEFT JOIN role_grant g ON g.user_id = u.id
        WHERE u.id = ANY($1) AND u.deactivated_at IS NULL
        GROUP BY u.id`,
      [userIds],
    );
    const byId = new Map(rows.map((r) => [r.id, { userId: r.id, username: r.username, grants: r.grants }]));
    return userIds.map((id) => byId.get(id) ?? null);
  }
}

/** SQL true when the user whose id is the expression `user` has an account still in use. */
export function accountActiveSql(user: string): string {
  return `EXISTS (SELECT 1 FROM app_user au WHERE au.id = ${user} AND au.deactivated_at IS NULL)`;
}
