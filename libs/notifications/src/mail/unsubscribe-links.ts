import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlRunner } from '@headwaters/core';
import { outsideQueryScope } from '@headwaters/database';

/** The name of the key that signs unsubscribe links, in `app_secret`. */
const KEY_NAME = 'unsubscribe-links';

/** What an unsubscribe link stands for: this user no longer wants mail about this item. */
export interface UnsubscribeClaim {
  userId: number;
  itemId: number;
}

/**
 * Signed one-click unsubscribe links (RFC 8058): `<user>.<item>.<HMAC-SHA256>`, keyed with a
 * random secret made once and shared by every instance through the database. Anyone holding the
 * link may set that one item to IGNORED for that one user, which is all it can do.
 */
export class UnsubscribeLinks {
  private key?: Promise<Buffer>;

  constructor(private readonly db: SqlRunner) {}

  async sign(claim: UnsubscribeClaim): Promise<string> {
    const payload = `${claim.userId}.${claim.itemId}`;
    return `${payload}.${this.mac(await this.secret(), payload)}`;
  }

  /** The claim a token makes, or null when it is malformed or not signed by us. */
  async verify(token: string): Promise<UnsubscribeClaim | null> {
    const match = /^([1-9][0-9]{0,9})\.([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{43})$/.exec(typeof token === 'string' ? token : '');
    if (!match) return null;
    const expected = Buffer.from(this.mac(await this.secret(), `${match[1]}.${match[2]}`));
    const given = Buffer.from(match[3]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { userId: Number(match[1]), itemId: Number(match[2]) };
  }

  private mac(key: Buffer, payload: string): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }

  private secret(): Promise<Buffer> {
    // Shared by every request asking meanwhile: outside any one request's scope.
    this.key ??= outsideQueryScope(async () => {
      await this.db.query(`INSERT INTO app_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [KEY_NAME, randomBytes(32)]);
      const [row] = await this.db.query<{ value: Buffer }[]>(`SELECT value FROM app_secret WHERE name = $1`, [KEY_NAME]);
      return row.value;
    }).catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }
}
