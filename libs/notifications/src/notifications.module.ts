import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { registerEventSink } from '@headwaters/core';
import { FanOutService } from './fan-out.service';
import { InboxService } from './inbox.service';
import { NoticeAuthorizer } from './notice-authorizer';
import { LiveEventsService } from './live-events.service';
import { SubscriptionService } from './subscription.service';

const SERVICES = [SubscriptionService, FanOutService, InboxService, NoticeAuthorizer, LiveEventsService];

/**
 * Following, the inbox, live events: every recorded event passes through here, in its own
 * transaction, to be told to those who should hear of it.
 */
@Module({ imports: [CatalogueModule], providers: SERVICES, exports: SERVICES })
export class NotificationsModule implements OnModuleInit, OnModuleDestroy {
  private readonly unregister: (() => void)[] = [];

  constructor(
    private readonly fanOut: FanOutService,
    private readonly live: LiveEventsService,
  ) {}

  onModuleInit(): void {
    this.unregister.push(registerEventSink('notifications', (tx, events) => this.fanOut.onEvents(tx, events)));
    this.unregister.push(registerEventSink('live-events', (tx, events) => this.live.onEvents(tx, events)));
  }

  onModuleDestroy(): void {
    for (const undo of this.unregister.splice(0)) undo();
  }
}
