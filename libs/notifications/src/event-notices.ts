import { Injectable } from '@nestjs/common';
import { AppConfig } from '@headwaters/config';
import type { EventLookup, RecordedEvent, SqlRunner } from '@headwaters/core';
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
  targets AS (${webhookTargetsSql({ ids: '$3' })})
  SELECT ${TELL_IF_FEW_COLUMNS}, coalesce((SELECT json_agg(targets) FROM targets), '[]') AS targets`);

/** The audience of events $1 told when at most $2 might hear of them, alone: the webhooks were looked up already. */
const TELL_IF_FEW_SQL = prepared(`WITH ${TELL_IF_FEW_CTES} SELECT ${TELL_IF_FEW_COLUMNS}`);

/**
 * The webhooks of the events, looked up in the statement that writes them (core's
 * `recordEvents`): a vote's event, told to nobody, then needs no statement of its own here.
 */
export const WEBHOOK_LOOKUP: EventLookup = { sql: (recorded) => webhookTargetsSql({ rows: recorded }) };

/**
 * The sink every recorded event goes through, in its transaction (registered with
 * {@link WEBHOOK_LOOKUP}): its audience is told (or handed to the job when large) and its
 * webhooks' POSTs are queued. The webhooks come looked up with the events' own insert; where
 * they do not (a filing writes its events in a statement of its own), they are looked up with
 * the audience, in one statement.
 */
@Injectable()
export class EventNotices {
  constructor(
    private readonly fanOut: FanOutService,
    private readonly webhooks: WebhookNotifier,
    private readonly config: AppConfig,
  ) {}

  async onEvents(tx: SqlRunner, events: readonly RecordedEvent[], looked?: readonly unknown[]): Promise<void> {
    const told = this.fanOut.toldOf(events);
    const webhooksLooked = looked as readonly WebhookTarget[] | undefined;
    if (told.length === 0) return webhooksLooked ? this.webhooks.deliver(tx, webhooksLooked) : this.webhooks.onEvents(tx, events);
    if (webhooksLooked) {
      const [telling] = await tx.query<Telling[]>(TELL_IF_FEW_SQL, [told, this.config.NOTIFY_INLINE_MAX]);
      await this.fanOut.settle(tx, told, telling);
      await this.webhooks.deliver(tx, webhooksLooked);
      return;
    }
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
