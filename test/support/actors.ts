import { randomBytes } from 'node:crypto';
import { hashToken, newToken } from '@headwaters/identity';
import type { TestApp } from './test-app';

export interface GrantSpec {
  role: 'ADMIN' | 'MAINTAINER';
  upstreamSlug?: string;
  componentSlug?: string;
}

export interface TestActor {
  userId: number;
  username: string;
  token: string;
}

/**
 * A signed-in user straight in the database (no register/login round trip), with the grants
 * asked for and a valid bearer token. Usernames are unique per call unless given.
 */
export async function createActor(app: TestApp, options: { username?: string; grants?: GrantSpec[] } = {}): Promise<TestActor> {
  const username = options.username ?? `user-${randomBytes(4).toString('hex')}`;
  const [user] = await app.sql<{ id: number }>(
    `INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, '!') RETURNING id`,
    [username, `${username}@example.org`],
  );
  for (const grant of options.grants ?? []) {
    await app.sql(
      `INSERT INTO role_grant (user_id, role, upstream_id, component_id)
       VALUES ($1, $2, (SELECT id FROM upstream WHERE slug = $3), (SELECT id FROM component WHERE slug = $4))`,
      [user.id, grant.role, grant.upstreamSlug ?? null, grant.componentSlug ?? null],
    );
  }
  const token = newToken();
  await app.sql(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'SESSION', 'test', $2)`, [user.id, hashToken(token)]);
  return { userId: user.id, username, token };
}

/** An admin, for tests that need one. */
export function createAdmin(app: TestApp, username?: string): Promise<TestActor> {
  return createActor(app, { username, grants: [{ role: 'ADMIN' }] });
}
