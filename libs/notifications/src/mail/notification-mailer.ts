import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, publicUrlOf } from '@headwaters/config';
import type { SqlRunner } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import { DeliveryOutbox } from '@headwaters/forwarding';
import type { WrittenNotification } from '../fan-out.service';
import { eventNamesKnownSql, recipientMayKnowSql } from '../notice-authorizer';
import { NOTIFICATION_MAIL_EVENT } from '../checks/send-checks';
import { notificationMail, type NoticeFacts } from './notification-message';
import { UnsubscribeLinks } from './unsubscribe-links';

/** What each mail says, for notifications just written: prepared, it runs with most events. */
const FACTS_SQL = prepared(
  `SELECT n.id AS "notificationId", n.user_id AS "userId", n.item_id AS "itemId", e.id AS "eventId", e.type AS "eventType", e.summary, a.username AS "actorName",
          i.number AS "itemNumber", i.title AS "itemTitle", i.kind AS "itemKind", i.status, i.importance,
          c.slug AS "componentSlug", up.slug AS "upstreamSlug", n.reason, u.email AS recipient
     FROM notification n
     JOIN app_user u ON u.id = n.user_id AND u.email_verified_at IS NOT NULL AND u.deactivated_at IS NULL
     LEFT JOIN notification_setting s ON s.user_id = n.user_id
     JOIN timeline_event e ON e.id = n.event_id
     LEFT JOIN app_user a ON a.id = e.actor_id
     JOIN item i ON i.id = n.item_id
     LEFT JOIN component c ON c.id = i.component_id
     JOIN upstream up ON up.id = i.route_upstream_id
    WHERE n.id = ANY($1::bigint[]) AND coalesce(s.mail, 'EACH_EVENT') = 'EACH_EVENT' AND ${recipientMayKnowSql('i', 'n.user_id')}
      AND ${eventNamesKnownSql('e', 'n.user_id')}
    ORDER BY n.id`,
);

/**
 * Mail for notifications as they are written, in the same transaction: only to verified
 * addresses of people who want each event (the default), and only of items they may see, asked
 * again here. Each mail is one outbox row, so it is sent once whatever the number of instances.
 */
@Injectable()
export class NotificationMailer {
  readonly links: UnsubscribeLinks;

  constructor(
    dataSource: DataSource,
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
  ) {
    this.links = new UnsubscribeLinks(dataSource);
  }

  async onWritten(tx: SqlRunner, written: readonly WrittenNotification[]): Promise<void> {
    const facts = await tx.query<(NoticeFacts & { notificationId: string; userId: number; itemId: number })[]>(
      FACTS_SQL,
      [written.map((w) => w.id)],
    );
    if (facts.length === 0) return;
    const publicUrl = publicUrlOf(this.config);
    const mails = await Promise.all(facts.map(async (f) => notificationMail(f, { publicUrl, unsubscribeToken: await this.links.sign({ userId: f.userId, itemId: f.itemId }) })));
    const rows = await this.outbox.queueMany(
      tx,
      mails.map((m) => ({ event: NOTIFICATION_MAIL_EVENT, channel: 'MAIL' as const, destination: m.to, subject: m.subject, payload: m.text, messageId: m.messageId, headers: m.headers })),
    );
    // What each mail carries, for the check just before it is sent.
    await tx.query(`INSERT INTO notification_mail (delivery_id, notification_id) SELECT unnest($1::bigint[]), unnest($2::bigint[])`, [rows.map((r) => r.id), facts.map((f) => f.notificationId)]);
  }
}
