import { Injectable } from '@nestjs/common';
import { AppConfig } from '@headwaters/config';
import type { RecordedEvent, SqlRunner } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import { FanOutService, TELL_IF_FEW_COLUMNS, TELL_IF_FEW_CTES, type Telling } from './fan-out.service';
import { WebhookNotifier, webhookTargetsSql, type WebhookTarget } from './webhooks/webhook-notifier';

/**
 * The audience of events $1 told when at most $2 might hear of them (see TELL_IF_FEW_CTES), and
 * the webhooks events $3 go to: one round trip for what every event but a vote needs. Prepared:
 * it takes longer to plan than to run.
 */
const TELL_AND_TARGET_SQL = prepared(`
  WITH ${TELL_IF_FEW_CTES},
  targets AS (${webhookTargetsSql('$3')})
  SELECT ${TELL_IF_FEW_COLUMNS}, coalesce((SELECT json_agg(targets ORDER BY event_id, webhook_id) FROM targets), '[]') AS targets`);

/**
 * The sink every recorded event goes through, in its transaction: its audience is told (or
 * handed to the job when large) and its webhooks' POSTs are queued. Both are looked up in one
 * statement; events nobody is told of (votes) look up their webhooks alone.
 */
@Injectable()
export class EventNotices {
  constructor(
    private readonly fanOut: FanOutService,
    private readonly webhooks: WebhookNotifier,
    private readonly config: AppConfig,
  ) {}

  async onEvents(tx: SqlRunner, events: readonly RecordedEvent[]): Promise<void> {
    const told = this.fanOut.toldOf(events);
    if (told.length === 0) return this.webhooks.onEvents(tx, events);
    const [{ targets, ...telling }] = await tx.query<(Telling & { targets: WebhookTarget[] })[]>(TELL_AND_TARGET_SQL, [
      told,
      this.config.NOTIFY_INLINE_MAX,
      events.map((e) => e.id),
    ]);
    // In this order, as when they were two sinks: the audience (and its mail), then the webhooks.
    await this.fanOut.settle(tx, told, telling);
    await this.webhooks.deliver(tx, targets);
  }
}
