import { Field, ID, InterfaceType, registerEnumType } from '@nestjs/graphql';
import { SUBSCRIPTION_STATES } from '@headwaters/notifications';
import { enumOf, typeNameOf } from '@headwaters/graphql-kit';

export const SubscriptionState = enumOf(SUBSCRIPTION_STATES);
registerEnumType(SubscriptionState, {
  name: 'SubscriptionState',
  description: "How closely you follow something (GitHub's three states).",
  valuesMap: {
    SUBSCRIBED: { description: 'Notified of everything.' },
    UNSUBSCRIBED: { description: 'Notified only when you take part (you reported it, commented, are assigned, voted).' },
    IGNORED: { description: 'Never notified.' },
  },
});

@InterfaceType('Subscribable', { resolveType: typeNameOf, description: 'Something a person can follow: an item, a component (and its subtree), an upstream.' })
export abstract class Subscribable {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field(() => SubscriptionState, { nullable: true, description: 'How you follow it: the state you set, or null when you set none (told only when you take part). Null for anonymous viewers.' })
  viewerSubscription?: string | null;
}
