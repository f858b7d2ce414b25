import { Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CatalogueReader } from '@headwaters/catalogue';
import { ConnectionArgs, connectionOf, fromGlobalId, pageQueryOf, toGlobalId, type ConnectionShape } from '@headwaters/graphql-kit';
import { WebhookService } from '@headwaters/notifications';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component, Upstream } from '../catalogue/catalogue.types';
import { Delivery, DeliveryConnection } from '../forwarding/delivery.type';
import { CreateWebhookInput, DeleteWebhookInput, DeleteWebhookPayload, Webhook, WebhookPayload } from './webhook.types';

/** Integrators' webhooks. */
@Resolver(() => Webhook)
export class WebhooksResolver {
  constructor(
    private readonly webhooks: WebhookService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => WebhookPayload, { description: 'Makes a webhook told of every event on the public items in its scope. Admins for any scope; maintainers for their upstream or component.' })
  async createWebhook(@Args('input') input: CreateWebhookInput, @Context() context: RequestContext): Promise<WebhookPayload> {
    return { webhook: Webhook.from(await this.webhooks.create(await context.actor(), input)) };
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Deletes a webhook: admins any, maintainers those of their upstream or component.' })
  async deleteWebhook(@Args('input') input: DeleteWebhookInput, @Context() context: RequestContext): Promise<DeleteWebhookPayload> {
    const id = fromGlobalId(input.webhookId, ['Webhook'], 'webhookId').id;
    await this.webhooks.delete(await context.actor(), id);
    return { deletedWebhookId: toGlobalId('Webhook', id) };
  }

  @ResolveField(() => DeliveryConnection, { description: 'The POSTs made to it, newest first: one per event, with its attempts (redeliver sends a FAILED one again).' })
  async deliveries(@Parent() webhook: Webhook, @Args() args: ConnectionArgs): Promise<ConnectionShape<Delivery>> {
    const page = pageQueryOf(args, 'webhook-deliveries', ['int']);
    const { slice, count } = await this.webhooks.deliveries(webhook.record.id, page);
    return connectionOf(slice, page, 'webhook-deliveries', (d) => [d.id], Delivery.from, count);
  }

  @ResolveField(() => Upstream, { nullable: true, description: 'Its scope: the items routed to this upstream.' })
  async upstream(@Parent() webhook: Webhook, @Context() context: RequestContext): Promise<Upstream | null> {
    const found = webhook.record.upstreamId === null ? undefined : (await catalogueOf(context, this.reader)).upstreams.get(webhook.record.upstreamId);
    return found ? Upstream.from(found) : null;
  }

  @ResolveField(() => Component, { nullable: true, description: 'Its scope: the items of this component and its subtree.' })
  async component(@Parent() webhook: Webhook, @Context() context: RequestContext): Promise<Component | null> {
    const found = webhook.record.componentId === null ? undefined : (await catalogueOf(context, this.reader)).components.get(webhook.record.componentId);
    return found ? Component.from(found) : null;
  }
}
