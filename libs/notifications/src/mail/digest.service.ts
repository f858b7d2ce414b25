import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, publicUrlOf } from '@headwaters/config';
import type { SqlRunner } from '@headwaters/core';
import { DeliveryOutbox } from '@headwaters/forwarding';
import { noticeWithheldSql } from '../notice-authorizer';
import { recordSkips, type NoticeSkipReason } from '../checks/notice-skips';
import { digestMail, type DigestEntry } from './digest-message';

/** The event of digest mails in the outbox. */
export const DIGEST_MAIL_EVENT = 'notification.digest';

/** Users looked at per statement. */
const BATCH = 200;

/** When a run happens, and from which hour a day's digest is due (both inputs, so tests need not wait a day). */
export interface DigestClock {
  now?: Date;
  hourUtc?: number;
}

/**
 * Daily digests for those who chose DAILY_DIGEST: once a day per user, from DIGEST_HOUR_UTC,
 * one mail listing the notifications since their last digest (at most a day), grouped by item,
 * only to verified addresses. A `notification_digest` row per user and day is taken in the
 * transaction that queues the mail, so two workers, or a run again after a failure, send one.
 * Each entry is checked against the recipient's rights as they are when the digest is made;
 * what is left out is kept in `notice_skip`.
 */
@Injectable()
export class DigestService {
  private readonly log = new Logger('Digest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
  ) {}

  /** Makes every digest due at `now`; returns how many mails were queued. */
  async sendDue(clock: DigestClock = {}): Promise<number> {
    const now = clock.now ?? new Date();
    const hour = clock.hourUtc ?? this.config.DIGEST_HOUR_UTC;
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
    if (until > now) until.setUTCDate(until.getUTCDate() - 1);
    const day = until.toISOString().slice(0, 10);
    let sent = 0;
    let after = 0;
    for (;;) {
      const due = await this.dataSource.query<{ userId: number }[]>(
        `SELECT s.user_id AS "userId" FROM notification_setting s
           JOIN app_user u ON u.id = s.user_id AND u.email_verified_at IS NOT NULL AND u.deactivated_at IS NULL
          WHERE s.mail = 'DAILY_DIGEST' AND s.user_id > $2
            AND NOT EXISTS (SELECT 1 FROM notification_digest d WHERE d.user_id = s.user_id AND d.day = $1::date)
          ORDER BY s.user_id LIMIT ${BATCH}`,
        [day, after],
      );
      for (const { userId } of due) if (await this.sendOne(userId, day, until)) sent++;
      if (due.length < BATCH) break;
      after = due.at(-1)!.userId;
    }
    if (sent > 0) {
      this.outbox.wake();
      this.log.log(`${sent} digest mail${sent === 1 ? '' : 's'} for ${day} queued`);
    }
    return sent;
  }

  /** One user's digest for one day, unless it was made already. True when a mail was queued. */
  private sendOne(userId: number, day: string, until: Date): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      // What is listed ends at the digest hour, or now if that is earlier (a clock given ahead):
      // the next digest starts where this one ended, so nothing falls between two.
      const [taken] = await tx.query<{ until: Date }[]>(
        `INSERT INTO notification_digest (user_id, day, until) VALUES ($1, $2::date, least($3::timestamptz, now())) ON CONFLICT DO NOTHING RETURNING until`,
        [userId, day, until],
      );
      if (!taken) return false;
      const [{ since }] = await tx.query<{ since: Date }[]>(
        `SELECT greatest(coalesce(max(until), '-infinity'), $2::timestamptz - interval '1 day') AS since FROM notification_digest WHERE user_id = $1 AND day < $3::date`,
        [userId, taken.until, day],
      );
      const rows = await this.entries(tx, userId, since, taken.until);
      const kept = rows.filter((r) => r.skip === null);
      await recordSkips(tx, rows.filter((r) => r.skip !== null).map((r) => ({ channel: 'DIGEST' as const, reason: r.skip!, eventId: r.eventId, itemId: r.itemId, userId })));
      let deliveryId: number | null = null;
      if (kept.length > 0) {
        const [{ email }] = await tx.query<{ email: string }[]>(`SELECT email FROM app_user WHERE id = $1`, [userId]);
        const mail = digestMail(kept, { userId, day, publicUrl: publicUrlOf(this.config) });
        const [row] = await this.outbox.queueMany(tx, [{ event: DIGEST_MAIL_EVENT, channel: 'MAIL', destination: email, subject: mail.subject, payload: mail.text, messageId: mail.messageId, headers: mail.headers }]);
        deliveryId = row.id;
      }
      await tx.query(`UPDATE notification_digest SET entries = $3, skipped = $4, delivery_id = $5 WHERE user_id = $1 AND day = $2::date`, [userId, day, kept.length, rows.length - kept.length, deliveryId]);
      return deliveryId !== null;
    });
  }

  /** The user's notifications in (since, until], oldest first, each with why it must be left out now (or null). */
  private entries(tx: SqlRunner, userId: number, since: Date, until: Date): Promise<(DigestEntry & { eventId: number; itemId: number; skip: NoticeSkipReason | null })[]> {
    return tx.query(
      `SELECT e.id AS "eventId", n.item_id AS "itemId", i.number AS "itemNumber", i.title AS "itemTitle", i.status, e.type AS "eventType", e.summary, n.created_at AS "createdAt",
              CASE ${noticeWithheldSql('i', 'e', 'n.user_id')}
              END AS skip
         FROM notification n
         JOIN item i ON i.id = n.item_id
         JOIN timeline_event e ON e.id = n.event_id
        WHERE n.user_id = $1 AND n.created_at > $2 AND n.created_at <= $3
        ORDER BY n.id`,
      [userId, since, until],
    );
  }
}
