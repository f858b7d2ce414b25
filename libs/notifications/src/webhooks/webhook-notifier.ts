import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, publicUrlOf } from '@headwaters/config';
import type { RecordedEvent, SqlRunner } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import { DeliveryOutbox } from '@headwaters/forwarding';
import { eventNamesOnlyPublicSql } from '../notice-authorizer';

/** A webhook one of the events goes to, with what its payload says (as the lookup answers it). */
export interface WebhookTarget {
  webhook_id: number;
  url: string;
  event_id: number;
  type: string;
  summary: string;
  /** A Date as pg reads the column; a string where the lookup came through JSON (see EventNotices). */
  created_at: Date | string;
  actor: string | null;
  number: number;
  title: string;
  kind: string;
  status: string;
  importance: string;
  component: string | null;
  upstream: string;
}

/**
 * The webhooks each event goes to, with what their payloads say, in event then webhook order: the
 * public items' events in each webhook's scope. The events are those whose ids are the int[]
 * parameter `ids` (such as `$1`), or the rows of the relation `rows` (the events a statement has
 * just inserted, with timeline_event's columns).
 */
export function webhookTargetsSql(events: { ids: string } | { rows: string }): string {
  const [from, which] = 'ids' in events ? ['timeline_event e', `e.id = ANY(${events.ids}::int[]) AND `] : [`${events.rows} e`, ''];
  return `SELECT w.id AS webhook_id, w.url, e.id AS event_id, e.type, e.summary, e.created_at, a.username AS actor,
          i.number, i.title, i.kind, i.status, i.importance, c.slug AS component, up.slug AS upstream
     FROM ${from}
     JOIN item i ON i.id = e.item_id AND i.visibility = 'PUBLIC'
     LEFT JOIN component c ON c.id = i.component_id
     JOIN upstream up ON up.id = i.route_upstream_id
     LEFT JOIN app_user a ON a.id = e.actor_id
     JOIN webhook w ON w.deleted_at IS NULL
      AND (w.upstream_id IS NULL OR w.upstream_id = i.route_upstream_id)
      AND (w.component_id IS NULL OR w.component_id = ANY(component_lineage(i.component_id)))
    WHERE ${which}${eventNamesOnlyPublicSql('e')}
    ORDER BY e.id, w.id`;
}

/** The webhooks each of events $1 goes to, for events that come without them looked up (see EventNotices): prepared. */
const TARGETS_SQL = prepared(webhookTargetsSql({ ids: '$1' }));

/**
 * Tells integrators' webhooks of every event on the public items in their scope, in the event's
 * transaction: one signed POST per webhook and event (`X-Headwaters-Event: item.<type>`), through
 * the outbox, with the webhook's own secret.
 */
@Injectable()
export class WebhookNotifier {
  constructor(
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
  ) {
    outbox.onSigningKey('webhook', async (db, id) => {
      const [row] = await db.query<{ secret: string }[]>(`SELECT secret FROM webhook WHERE id = $1 AND deleted_at IS NULL`, [Number(id)]);
      return row?.secret ?? null;
    });
  }

  /** Looks up the webhooks of `events` and queues their POSTs. */
  async onEvents(tx: SqlRunner, events: readonly RecordedEvent[]): Promise<void> {
    await this.deliver(tx, await tx.query<WebhookTarget[]>(TARGETS_SQL, [events.map((e) => e.id)]));
  }

  /**
   * Queues a POST for each target looked up (by {@link onEvents}, or by EventNotices with the
   * events' audience or in the statement that wrote them), in event then webhook order.
   */
  async deliver(tx: SqlRunner, looked: readonly WebhookTarget[]): Promise<void> {
    if (looked.length === 0) return;
    // Rows that came through json_agg keep no promised order: put them in the lookup's.
    const targets = [...looked].sort((a, b) => a.event_id - b.event_id || a.webhook_id - b.webhook_id);
    const publicUrl = publicUrlOf(this.config);
    const deliveries = targets.map((t) => {
      const id = randomUUID();
      const event = `item.${t.type.toLowerCase()}`;
      const body = {
        event,
        delivery: id,
        item: { number: t.number, title: t.title, kind: t.kind, status: t.status, importance: t.importance, component: t.component, upstream: t.upstream, url: `${publicUrl}/items/${t.number}` },
        timelineEvent: { type: t.type, summary: t.summary, actor: t.actor, createdAt: new Date(t.created_at) },
      };
      return { event, channel: 'WEBHOOK' as const, destination: t.url, payload: JSON.stringify(body), messageId: id, signingKey: `webhook:${t.webhook_id}`, webhookId: t.webhook_id, eventId: t.event_id };
    });
    const rows = await this.outbox.queueMany(tx, deliveries);
    await tx.query(`INSERT INTO webhook_delivery (webhook_id, delivery_id, event_id) SELECT unnest($1::int[]), unnest($2::bigint[]), unnest($3::int[])`, [
      deliveries.map((d) => d.webhookId), rows.map((r) => r.id), deliveries.map((d) => d.eventId),
    ]);
  }
}
