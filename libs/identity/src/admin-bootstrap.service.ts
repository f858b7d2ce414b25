import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { hashPassword } from './password';
import { checkPassword } from './account.service';

/** What the first start has to tell the person who started it, once. */
export interface BootstrapResult {
  createdUsername?: string;
  generatedPassword?: string;
}

/**
 * Makes sure there is an admin. TRACKER_ADMIN_USERNAME and TRACKER_ADMIN_PASSWORD name one (it
 * is created or its password set, and it gets ADMIN); with neither and no admin at all, the first
 * start creates `admin` with a random password. Safe when several instances start at once.
 */
@Injectable()
export class AdminBootstrapService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async ensureAdmin(): Promise<BootstrapResult> {
    const username = this.config.TRACKER_ADMIN_USERNAME;
    const configured = this.config.TRACKER_ADMIN_PASSWORD;
    if (!!username !== !!configured) {
      throw new Error('Set both TRACKER_ADMIN_USERNAME and TRACKER_ADMIN_PASSWORD, or neither');
    }
    if (configured) checkPassword(configured);
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('headwaters:bootstrap-admin'))`);
      if (username && configured) {
        const hash = await hashPassword(configured);
        const [user] = await tx.query<{ id: number }[]>(
          `INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, $3)
           ON CONFLICT (lower(username)) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()
           RETURNING id`,
          [username, `${username.toLowerCase()}@localhost`, hash],
        );
        await tx.query(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'ADMIN') ON CONFLICT DO NOTHING`, [user.id]);
        return {};
      }
      const [{ admins }] = await tx.query<{ admins: number }[]>(`SELECT count(*)::int AS admins FROM role_grant WHERE role = 'ADMIN'`);
      if (admins > 0) return {};
      const password = randomBytes(18).toString('base64url');
      const [user] = await tx.query<{ id: number; username: string }[]>(
        `INSERT INTO app_user (username, email, password_hash) VALUES ('admin', 'admin@localhost', $1)
         ON CONFLICT (lower(username)) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id, username`,
        [await hashPassword(password)],
      );
      await tx.query(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'ADMIN') ON CONFLICT DO NOTHING`, [user.id]);
      return { createdUsername: user.username, generatedPassword: password };
    });
  }
}
