import { Module } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { IdentityModule } from '@headwaters/identity';
import { NotificationsModule } from '@headwaters/notifications';
import { ItemsModule } from '@headwaters/items';
import { NotificationDirectFields } from './notification-direct-fields';
import { NotificationsResolver } from './notifications.resolver';
import { LiveEventsResolver } from './live-events.resolver';
import { WebhooksResolver } from './webhooks.resolver';
import { AccountMailResolver } from './account-mail.resolver';
import { UnsubscribeRoutes } from './unsubscribe.routes';

/** Following, the inbox, live events. */
@Module({
  imports: [NotificationsModule, IdentityModule, CatalogueModule, ItemsModule],
  providers: [NotificationsResolver, NotificationDirectFields, LiveEventsResolver, WebhooksResolver, AccountMailResolver, UnsubscribeRoutes],
})
export class NotificationsApiModule {}
