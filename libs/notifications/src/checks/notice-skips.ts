import type { SqlRunner } from '@headwaters/core';

/**
 * Why a notice was not given when its turn came, asked again just before it left:
 * - ACCOUNT_DEACTIVATED: the recipient's account was deactivated since;
 * - ADDRESS_UNVERIFIED: the address is no longer the verified one it was queued for;
 * - MAIL_PREFERENCE: the recipient chose a digest or no mail since;
 * - IGNORED: the recipient ignores the item since (a one-click unsubscribe);
 * - ITEM_HIDDEN: the recipient may no longer see the item (embargoed since, a role lost, re-routed);
 * - NAMES_HIDDEN_ITEM: the event names another item (a duplicate link) the recipient may not see;
 * - ITEM_GONE: the item no longer exists;
 * - WEBHOOK_DELETED: the integrator's webhook was deleted.
 * For integrators' webhooks, "may see" means the item (and what the event names) is public.
 */
export const NOTICE_SKIP_REASONS = ['ACCOUNT_DEACTIVATED', 'ADDRESS_UNVERIFIED', 'MAIL_PREFERENCE', 'IGNORED', 'ITEM_HIDDEN', 'NAMES_HIDDEN_ITEM', 'ITEM_GONE', 'WEBHOOK_DELETED'] as const;
export type NoticeSkipReason = (typeof NOTICE_SKIP_REASONS)[number];

/** Which way the notice would have gone. */
export type NoticeChannel = 'MAIL' | 'WEBHOOK' | 'DIGEST' | 'LIVE';

/** One notice not given, and why. */
export interface NoticeSkip {
  channel: NoticeChannel;
  reason: NoticeSkipReason;
  eventId?: number | null;
  itemId?: number | null;
  userId?: number | null;
  webhookId?: number | null;
  deliveryId?: number | null;
}

/** Keeps the notices not given (`notice_skip`, which only this lib writes), in one statement. */
export async function recordSkips(db: SqlRunner, skips: readonly NoticeSkip[]): Promise<void> {
  if (skips.length === 0) return;
  await db.query(
    `INSERT INTO notice_skip (channel, reason, event_id, item_id, user_id, webhook_id, delivery_id)
     SELECT s.channel, s.reason, s.event_id, s.item_id, s.user_id, s.webhook_id, s.delivery_id
       FROM jsonb_to_recordset($1::jsonb) AS s(channel text, reason text, event_id integer, item_id integer, user_id integer, webhook_id integer, delivery_id bigint)`,
    [
      JSON.stringify(
        skips.map((s) => ({ channel: s.channel, reason: s.reason, event_id: s.eventId ?? null, item_id: s.itemId ?? null, user_id: s.userId ?? null, webhook_id: s.webhookId ?? null, delivery_id: s.deliveryId ?? null })),
      ),
    ],
  );
}
