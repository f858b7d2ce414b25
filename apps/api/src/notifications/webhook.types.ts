import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { WebhookRecord } from '@headwaters/notifications';
import { WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MIN, WEBHOOK_URL_MAX } from '@headwaters/notifications';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { Component, Upstream } from '../catalogue/catalogue.types';

@ObjectType({ implements: () => [Node], description: 'A URL told of every event on the items in its scope (all public items when no scope is given), signed like forwards.' })
export class Webhook implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'Where the events are POSTed.' })
  url!: string;

  // Resolved from the request's catalogue (see webhooks.resolver.ts).
  @Field(() => Upstream, { nullable: true, description: "Its scope: the items routed to this upstream." })
  upstream?: Upstream | null;

  @Field(() => Component, { nullable: true, description: 'Its scope: the items of this component and its subtree.' })
  component?: Component | null;

  @Field({ description: 'When it was made.' })
  createdAt!: Date;

  record!: WebhookRecord;

  static from(record: WebhookRecord): Webhook {
    return Object.assign(new Webhook(), { id: toGlobalId('Webhook', record.id), url: record.url, createdAt: record.createdAt, record });
  }
}

@InputType({ description: 'A webhook for integrators: admins for any scope, maintainers for their upstream or component.' })
export class CreateWebhookInput {
  @Field({ description: 'An http(s) URL.' })
  @IsString() @MaxLength(WEBHOOK_URL_MAX)
  url!: string;

  @Field({ description: `Keys the HMAC-SHA256 of each POST (X-Headwaters-Signature-256), ${WEBHOOK_SECRET_MIN} to ${WEBHOOK_SECRET_MAX} characters. Write-only.` })
  @IsString() @MinLength(WEBHOOK_SECRET_MIN) @MaxLength(WEBHOOK_SECRET_MAX)
  secret!: string;

  @Field(() => String, { nullable: true, description: 'Only the items routed to this upstream.' })
  @IsOptional() @IsString() @MaxLength(100)
  upstreamSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the items of this component and its subtree.' })
  @IsOptional() @IsString() @MaxLength(200)
  componentSlug?: string | null;
}

@ObjectType({ description: 'The webhook made.' })
export class WebhookPayload {
  @Field(() => Webhook, { description: 'The webhook.' })
  webhook!: Webhook;
}

@InputType({ description: 'Which webhook to delete.' })
export class DeleteWebhookInput {
  @Field(() => ID, { description: 'A Webhook ID.' })
  @IsString() @MaxLength(200)
  webhookId!: string;
}

@ObjectType({ description: 'What was deleted.' })
export class DeleteWebhookPayload {
  @Field(() => ID, { description: 'The deleted webhook.' })
  deletedWebhookId!: string;
}
