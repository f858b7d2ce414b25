import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, Grant } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import { hashToken, TOKEN_PREFIX } from './token';

/** Every authenticated request runs it: prepared. */
const TOKEN_SQL = prepared(
  `SELECT u.id AS user_id, u.username, t.id AS token_id,
          (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale,
          coalesce(json_agg(json_build_object('role', g.role, 'upstreamId', g.upstream_id, 'componentId', g.component_id))
                   FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
     FROM access_token t
     JOIN app_user u ON u.id = t.user_id AND u.deactivated_at IS NULL
     LEFT JOIN role_grant g ON g.user_id = u.id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
    GROUP BY u.id, t.id`,
);

interface ActorRow {
  user_id: number;
  username: string;
  token_id: number;
  stale: boolean;
  grants: Grant[];
}

/**
 * Turns a bearer token into the actor it stands for, with their grants, in one query. Unknown,
 * revoked and expired tokens give null.
 */
@Injectable()
export class TokenAuthenticator {
  constructor(private readonly dataSource: DataSource) {}

  async authenticate(token: string): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const rows: ActorRow[] = await this.dataSource.query(TOKEN_SQL, [hashToken(token)]);
    const row = rows[0];
    if (!row) return null;
    if (row.stale) {
      // At most once a minute per token, and off the request's path.
      this.dataSource.query(`UPDATE access_token SET last_used_at = now() WHERE id = $1`, [row.token_id]).catch(() => undefined);
    }
    return { userId: row.user_id, username: row.username, grants: row.grants, tokenId: row.token_id };
  }
}
