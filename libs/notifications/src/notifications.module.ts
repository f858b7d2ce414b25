import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { registerEventSink } from '@headwaters/core';
import { JobQueue } from '@headwaters/jobs';
import { FanOutService } from './fan-out.service';
import { EventNotices, WEBHOOK_LOOKUP } from './event-notices';
import { InboxService } from './inbox.service';
import { NoticeAuthorizer } from './notice-authorizer';
import { LiveEventsService } from './live-events.service';
import { SubscriptionService } from './subscription.service';
import { WebhookService } from './webhooks/webhook.service';
import { WebhookNotifier } from './webhooks/webhook-notifier';
import { NotificationMailer } from './mail/notification-mailer';
import { AccountMailService } from './mail/account-mail.service';
import { DigestService } from './mail/digest.service';
import { NoticeSendChecks } from './checks/send-checks';
import { DeliveryModule, DeliveryOutbox } from '@headwaters/forwarding';
import { IdentityModule } from '@headwaters/identity';

/** The queue of large audiences' fan-outs: one job per event. */
export const FANOUT_QUEUE = 'notification-fanout';

const SERVICES = [SubscriptionService, FanOutService, EventNotices, InboxService, NoticeAuthorizer, LiveEventsService, WebhookService, WebhookNotifier, NotificationMailer, AccountMailService, DigestService, NoticeSendChecks];

/**
 * Following, the inbox, live events: every recorded event passes through here, in its own
 * transaction, to be told to those who should hear of it (live listeners hear of it from the
 * timeline's own announcement, sent after the commit: migrations TimelineAnnounces and
 * AnnounceAfterCommit).
 */
@Module({ imports: [CatalogueModule, DeliveryModule, IdentityModule], providers: SERVICES, exports: SERVICES })
export class NotificationsModule implements OnModuleInit, OnModuleDestroy {
  private readonly unregister: (() => void)[] = [];

  constructor(
    fanOut: FanOutService,
    private readonly notices: EventNotices,
    mailer: NotificationMailer,
    jobs: JobQueue,
    outbox: DeliveryOutbox,
    webhookService: WebhookService,
    // Registers the checks asked before each notice is sent (in its constructor).
    _checks: NoticeSendChecks,
  ) {
    outbox.onRedelivery((tx, actor, deliveryId) => webhookService.redeliveryRight(tx, actor, deliveryId));
    fanOut.onWritten((tx, written) => mailer.onWritten(tx, written));
    // One at a time per worker: a fan-out is a long write, and requests need the other core.
    jobs.declare(FANOUT_QUEUE, { concurrency: 1, expireInSeconds: 600, retryLimit: 20, retryDelaySeconds: 5 });
    jobs.handle<{ eventId: number }>(FANOUT_QUEUE, async (job) => void (await fanOut.fanOut(job.data.eventId)));
    fanOut.useScheduler((tx, eventIds) => jobs.sendMany(tx, FANOUT_QUEUE, eventIds.map((eventId) => ({ data: { eventId } }))));
  }

  onModuleInit(): void {
    this.unregister.push(registerEventSink('notifications', (tx, events, looked) => this.notices.onEvents(tx, events, looked), WEBHOOK_LOOKUP));
  }

  onModuleDestroy(): void {
    for (const undo of this.unregister.splice(0)) undo();
  }
}
