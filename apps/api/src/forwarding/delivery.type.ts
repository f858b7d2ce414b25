import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DELIVERY_CHANNELS, DELIVERY_STATES, type DeliveryRecord } from '@headwaters/forwarding';
import { ConnectionType, enumOf, Node, toGlobalId } from '@headwaters/graphql-kit';

export const DeliveryChannel = enumOf(DELIVERY_CHANNELS);
registerEnumType(DeliveryChannel, {
  name: 'DeliveryChannel',
  description: 'How a delivery leaves.',
  valuesMap: { MAIL: { description: 'A mail, over SMTP.' }, WEBHOOK: { description: 'A signed HTTP POST.' } },
});

export const DeliveryState = enumOf(DELIVERY_STATES);
registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  description: 'Where a delivery stands.',
  valuesMap: {
    PENDING: { description: 'Queued, or waiting for its next attempt.' },
    DELIVERED: { description: 'Accepted by the mail server, or answered 2xx.' },
    FAILED: { description: 'Given up after its attempts; redeliver tries again.' },
  },
});

@ObjectType({ implements: () => [Node], description: 'One mail or webhook POST sent for a forward or a notification.' })
export class Delivery implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field(() => DeliveryChannel, { description: 'Mail or webhook.' })
  channel!: string;

  @Field({ description: 'The address or URL it goes to.' })
  destination!: string;

  @Field(() => DeliveryState, { description: 'Where it stands.' })
  state!: string;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'The last failure in words: the SMTP reply, the HTTP status, a timeout.' })
  lastError!: string | null;

  @Field({ description: "A mail's Message-ID, a webhook's delivery id (the same on every attempt)." })
  messageId!: string;

  @Field(() => Date, { description: 'When it was queued.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was accepted.' })
  deliveredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due, while PENDING.' })
  nextAttemptAt!: Date | null;

  static from(record: DeliveryRecord): Delivery {
    return Object.assign(new Delivery(), {
      id: toGlobalId('Delivery', record.id), channel: record.channel, destination: record.destination, state: record.state, attempts: record.attempts,
      lastError: record.lastError, messageId: record.messageId, createdAt: record.createdAt, deliveredAt: record.deliveredAt, nextAttemptAt: record.nextAttemptAt,
    });
  }
}

@ObjectType({ description: 'A page of deliveries, newest first.' })
export class DeliveryConnection extends ConnectionType(Delivery, 'Delivery') {}
