import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '@headwaters/core';
import { DeliveryOutbox, type DeliveryRecord } from '@headwaters/forwarding';
import { eventNamesOnlyPublicSql, noticeWithheldSql } from '../notice-authorizer';
import { recordSkips, type NoticeSkipReason } from './notice-skips';
import { DIGEST_MAIL_EVENT } from '../mail/digest.service';

/** The event of notification mails in the outbox. */
export const NOTIFICATION_MAIL_EVENT = 'notification.mail';

interface Facts {
  reason: NoticeSkipReason | null;
  eventId: number | null;
  itemId: number | null;
  userId: number | null;
  webhookId: number | null;
}

/**
 * What a notification mail or an integrator's POST is checked against just before it is sent:
 * the recipient's rights as they are then, not as they were when the event was written. A mail
 * whose recipient was deactivated, lost the role that let them see the item, or whose item was
 * embargoed since, is not sent; nor is a POST about an item no longer public. Each skip is kept.
 */
@Injectable()
export class NoticeSendChecks {
  constructor(outbox: DeliveryOutbox) {
    outbox.onBeforeSend({
      check: async (db, delivery) => (await this.facts(db, delivery))?.reason ?? null,
      skipped: async (tx, delivery, reason) => {
        const facts = await this.facts(tx, delivery);
        await recordSkips(tx, [
          { channel: delivery.event === DIGEST_MAIL_EVENT ? 'DIGEST' : delivery.channel === 'MAIL' ? 'MAIL' : 'WEBHOOK', reason: reason as NoticeSkipReason, eventId: facts?.eventId, itemId: facts?.itemId, userId: facts?.userId, webhookId: facts?.webhookId, deliveryId: delivery.id },
        ]);
      },
    });
  }

  /** Null for deliveries that are not notices (forwards, account mail). */
  private async facts(db: SqlRunner, delivery: DeliveryRecord): Promise<Facts | null> {
    if (delivery.event === NOTIFICATION_MAIL_EVENT) {
      const [row] = await db.query<Facts[]>(
        `SELECT n.event_id AS "eventId", n.item_id AS "itemId", n.user_id AS "userId", NULL::int AS "webhookId",
                CASE WHEN u.deactivated_at IS NOT NULL THEN 'ACCOUNT_DEACTIVATED'
                     WHEN u.email_verified_at IS NULL OR lower(u.email) <> lower($2) THEN 'ADDRESS_UNVERIFIED'
                     WHEN coalesce(s.mail, 'EACH_EVENT') <> 'EACH_EVENT' THEN 'MAIL_PREFERENCE'
                     WHEN i.id IS NULL THEN 'ITEM_GONE'
                     ${noticeWithheldSql('i', 'e', 'n.user_id')}
                END AS reason
           FROM notification_mail m
           JOIN notification n ON n.id = m.notification_id
           JOIN timeline_event e ON e.id = n.event_id
           JOIN app_user u ON u.id = n.user_id
           LEFT JOIN notification_setting s ON s.user_id = n.user_id
           LEFT JOIN item i ON i.id = n.item_id
          WHERE m.delivery_id = $1`,
        [delivery.id, delivery.destination],
      );
      return row ?? null;
    }
    if (delivery.event === DIGEST_MAIL_EVENT) {
      // The entries were checked when the digest was made; the recipient is asked again here.
      const [row] = await db.query<Facts[]>(
        `SELECT NULL::int AS "eventId", NULL::int AS "itemId", u.id AS "userId", NULL::int AS "webhookId",
                CASE WHEN u.deactivated_at IS NOT NULL THEN 'ACCOUNT_DEACTIVATED'
                     WHEN u.email_verified_at IS NULL OR lower(u.email) <> lower($2) THEN 'ADDRESS_UNVERIFIED'
                     WHEN coalesce(s.mail, 'EACH_EVENT') <> 'DAILY_DIGEST' THEN 'MAIL_PREFERENCE'
                END AS reason
           FROM notification_digest d JOIN app_user u ON u.id = d.user_id LEFT JOIN notification_setting s ON s.user_id = d.user_id
          WHERE d.delivery_id = $1`,
        [delivery.id, delivery.destination],
      );
      return row ?? null;
    }
    if (delivery.signingKey?.startsWith('webhook:')) {
      const [row] = await db.query<Facts[]>(
        `SELECT e.id AS "eventId", e.item_id AS "itemId", NULL::int AS "userId", w.id AS "webhookId",
                CASE WHEN w.deleted_at IS NOT NULL THEN 'WEBHOOK_DELETED'
                     WHEN i.id IS NULL THEN 'ITEM_GONE'
                     WHEN i.visibility <> 'PUBLIC' THEN 'ITEM_HIDDEN'
                     WHEN NOT ${eventNamesOnlyPublicSql('e')} THEN 'NAMES_HIDDEN_ITEM'
                END AS reason
           FROM webhook_delivery wd
           JOIN webhook w ON w.id = wd.webhook_id
           JOIN timeline_event e ON e.id = wd.event_id
           LEFT JOIN item i ON i.id = e.item_id
          WHERE wd.delivery_id = $1`,
        [delivery.id],
      );
      return row ?? null;
    }
    return null;
  }
}
