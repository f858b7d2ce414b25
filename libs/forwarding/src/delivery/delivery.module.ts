import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@headwaters/config';
import { DeliveryChannels } from './channels/delivery-channels';
import { MailChannel } from './channels/mail-channel';
import { WebhookChannel } from './channels/webhook-channel';
import { DeliveryOutbox } from './delivery-outbox';
import { DeliveryWorker } from './delivery-worker';

/** The channels as the configuration sets them up. */
export function deliveryChannelsFor(config: AppConfig): DeliveryChannels {
  return new DeliveryChannels({
    MAIL: new MailChannel({ smtpUrl: config.SMTP_URL, mailDir: join(config.DATA_DIR, 'mail'), from: config.MAIL_FROM, maxConnections: Math.min(8, config.DELIVERY_CONCURRENCY) }),
    WEBHOOK: new WebhookChannel({ timeoutMs: config.WEBHOOK_TIMEOUT_SECONDS * 1000, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE }),
  });
}

/** The outbox: queueing and redelivering deliveries, in the caller's transaction. */
@Module({
  providers: [DeliveryOutbox],
  exports: [DeliveryOutbox],
})
export class DeliveryModule {
  constructor(outbox: DeliveryOutbox) {
    // Forwards to WEBHOOK upstreams are signed with the upstream's secret, read when sending.
    outbox.onSigningKey('upstream', async (db, id) => {
      const [row] = await db.query<{ secret: string | null }[]>(`SELECT webhook_secret AS secret FROM upstream WHERE id = $1`, [Number(id)]);
      return row?.secret ?? null;
    });
  }
}

/**
 * The sending side (the worker role): mail over SMTP_URL (or .eml files under DATA_DIR/mail/),
 * signed webhook POSTs, one attempt per job.
 */
@Module({
  imports: [DeliveryModule],
  providers: [DeliveryWorker, { provide: DeliveryChannels, inject: [AppConfig], useFactory: deliveryChannelsFor }],
})
export class DeliveryWorkerModule {}
