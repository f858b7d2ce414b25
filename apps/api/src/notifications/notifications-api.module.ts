import { Module } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { IdentityModule } from '@headwaters/identity';
import { NotificationsModule } from '@headwaters/notifications';
import { ItemsApiModule } from '../items/items-api.module';
import { NotificationDirectFields } from './notification-direct-fields';
import { NotificationsResolver } from './notifications.resolver';
import { LiveEventsResolver } from './live-events.resolver';

/** Following, the inbox, live events. */
@Module({
  imports: [NotificationsModule, IdentityModule, CatalogueModule, ItemsApiModule],
  providers: [NotificationsResolver, NotificationDirectFields, LiveEventsResolver],
})
export class NotificationsApiModule {}
