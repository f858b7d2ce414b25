import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { IdentityModule } from '@headwaters/identity';
import { NotificationsModule, WebhookService } from '@headwaters/notifications';
import { ItemsModule } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { NotificationDirectFields } from './notification-direct-fields';
import { NotificationsResolver } from './notifications.resolver';
import { LiveEventsResolver } from './live-events.resolver';
import { WebhooksResolver } from './webhooks.resolver';
import { AccountMailResolver } from './account-mail.resolver';
import { UnsubscribeRoutes } from './unsubscribe.routes';
import { Webhook } from './webhook.types';

/** Following, the inbox, live events, integrators' webhooks (`node(id:)` for those you manage). */
@Module({
  imports: [NotificationsModule, IdentityModule, CatalogueModule, ItemsModule],
  providers: [NotificationsResolver, NotificationDirectFields, LiveEventsResolver, WebhooksResolver, AccountMailResolver, UnsubscribeRoutes],
})
export class NotificationsApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly webhooks: WebhookService,
  ) {}

  onModuleInit(): void {
    // A webhook exists only for those who manage it.
    this.registry.register('Webhook', async (ids, context) => {
      const actor = await (context as RequestContext).actor();
      return Promise.all(ids.map(async (id) => {
        const found = await this.webhooks.byId(actor, Number(id));
        return found ? Webhook.from(found) : null;
      }));
    });
  }
}
