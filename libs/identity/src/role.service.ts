import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, slugNotFound, type Actor, type SqlRunner } from '@headwaters/core';
import type { GrantRecord, UserRecord } from './identity.records';
import { authorize } from './policy';

export interface GrantSpec {
  username: string;
  role: 'ADMIN' | 'MAINTAINER';
  upstreamSlug?: string | null;
  componentSlug?: string | null;
}

const GRANT_COLUMNS = `id, role, upstream_id AS "upstreamId", component_id AS "componentId"`;

/** Who holds which role: granted and revoked by admins only. */
@Injectable()
export class RoleService {
  constructor(private readonly dataSource: DataSource) {}

  /** Grants a role; granting one already held changes nothing. Returns the user and all their grants. */
  grant(actor: Actor | null, spec: GrantSpec): Promise<{ user: UserRecord; grants: GrantRecord[] }> {
    const admin = authorize(actor, 'role.manage');
    return this.record(spec, admin.userId);
  }

  /**
   * Grants a role on the operator's say (the admin command line, run by whoever holds the
   * database): the same rules as {@link grant}, recorded as granted by nobody.
   */
  grantAsOperator(spec: GrantSpec): Promise<{ user: UserRecord; grants: GrantRecord[] }> {
    return this.record(spec, null);
  }

  private record(spec: GrantSpec, grantedById: number | null): Promise<{ user: UserRecord; grants: GrantRecord[] }> {
    return this.dataSource.transaction(async (tx) => {
      const { user, upstreamId, componentId } = await this.resolve(tx, spec);
      await tx.query(
        `INSERT INTO role_grant (user_id, role, upstream_id, component_id, granted_by_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, role, coalesce(upstream_id, 0), coalesce(component_id, 0)) DO NOTHING`,
        [user.id, spec.role, upstreamId, componentId, grantedById],
      );
      return { user, grants: await grantsOf(tx, user.id) };
    });
  }

  /** Revokes a role; the last admin cannot lose theirs (CONFLICT). */
  revoke(actor: Actor | null, spec: GrantSpec): Promise<{ user: UserRecord; grants: GrantRecord[] }> {
    authorize(actor, 'role.manage');
    return this.dataSource.transaction(async (tx) => {
      const { user, upstreamId, componentId } = await this.resolve(tx, spec);
      if (spec.role === 'ADMIN') {
        // Serializes concurrent revocations, so two admins cannot remove each other at once.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('headwaters:admins'))`);
        const [{ admins }] = await tx.query<{ admins: number }[]>(`SELECT count(*)::int AS admins FROM role_grant WHERE role = 'ADMIN' AND user_id <> $1`, [user.id]);
        if (admins === 0) throw DomainError.conflict('LAST_ADMIN', `username: ${user.username} is the last admin; grant ADMIN to someone else first`, 'username');
      }
      const deleted = await tx.query<{ id: number }[]>(
        `WITH gone AS (DELETE FROM role_grant WHERE user_id = $1 AND role = $2 AND coalesce(upstream_id, 0) = coalesce($3::int, 0) AND coalesce(component_id, 0) = coalesce($4::int, 0) RETURNING id) SELECT id FROM gone`,
        [user.id, spec.role, upstreamId, componentId],
      );
      if (deleted.length === 0) throw DomainError.notFound('GRANT_NOT_FOUND', `role: ${user.username} does not hold this role`, 'role');
      return { user, grants: await grantsOf(tx, user.id) };
    });
  }

  /** Grants of many users, for `viewer` and DataLoaders, in key order. */
  async grantsOfUsers(userIds: readonly number[]): Promise<GrantRecord[][]> {
    const rows = await this.dataSource.query<(GrantRecord & { user_id: number })[]>(`SELECT user_id, ${GRANT_COLUMNS} FROM role_grant WHERE user_id = ANY($1) ORDER BY id`, [userIds]);
    return userIds.map((id) => rows.filter((r) => r.user_id === id).map(({ user_id: _, ...grant }) => grant));
  }

  private async resolve(tx: SqlRunner, spec: GrantSpec): Promise<{ user: UserRecord; upstreamId: number | null; componentId: number | null }> {
    if (spec.role === 'ADMIN' && (spec.upstreamSlug || spec.componentSlug)) {
      throw DomainError.invalid('ADMIN_UNSCOPED', `${spec.upstreamSlug ? 'upstreamSlug' : 'componentSlug'}: ADMIN holds everywhere and takes no scope`, spec.upstreamSlug ? 'upstreamSlug' : 'componentSlug');
    }
    if (spec.role === 'MAINTAINER' && !!spec.upstreamSlug === !!spec.componentSlug) {
      throw DomainError.invalid('MAINTAINER_SCOPE', 'upstreamSlug: MAINTAINER needs exactly one of upstreamSlug or componentSlug', 'upstreamSlug');
    }
    const [user] = await tx.query<UserRecord[]>(`SELECT id, username, created_at AS "createdAt" FROM app_user WHERE lower(username) = lower($1)`, [spec.username]);
    if (!user) throw DomainError.notFound('USER_NOT_FOUND', `username: nobody is called "${spec.username}"`, 'username');
    let upstreamId: number | null = null;
    let componentId: number | null = null;
    if (spec.upstreamSlug) {
      [{ id: upstreamId } = { id: null }] = await tx.query<{ id: number }[]>(`SELECT id FROM upstream WHERE slug = $1`, [spec.upstreamSlug]);
      if (upstreamId === null) throw slugNotFound('upstream', spec.upstreamSlug, 'upstreamSlug');
    }
    if (spec.componentSlug) {
      [{ id: componentId } = { id: null }] = await tx.query<{ id: number }[]>(`SELECT id FROM component WHERE slug = $1`, [spec.componentSlug]);
      if (componentId === null) throw slugNotFound('component', spec.componentSlug, 'componentSlug');
    }
    return { user, upstreamId, componentId };
  }
}

async function grantsOf(tx: SqlRunner, userId: number): Promise<GrantRecord[]> {
  return tx.query<GrantRecord[]>(`SELECT ${GRANT_COLUMNS} FROM role_grant WHERE user_id = $1 ORDER BY id`, [userId]);
}
