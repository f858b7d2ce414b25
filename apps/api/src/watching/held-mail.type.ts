import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { HeldMailRecord } from '@headwaters/forwarding';
import { toGlobalId } from '@headwaters/graphql-kit';

export enum HeldMailState {
  HELD = 'HELD',
  APPROVED = 'APPROVED',
  DROPPED = 'DROPPED',
}
registerEnumType(HeldMailState, {
  name: 'HeldMailState',
  description: 'Where a held reply stands.',
  valuesMap: {
    HELD: { description: 'Waiting for a maintainer.' },
    APPROVED: { description: 'Posted as the approving maintainer\'s comment, quoting the sender.' },
    DROPPED: { description: 'Thrown away.' },
  },
});

@ObjectType({ description: "A reply by mail from someone the tracker does not know (not a verified user, not the upstream's list), held for the item's maintainers to approve or drop." })
export class HeldMail {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'The sender\'s address.' })
  sender!: string;

  @Field({ description: 'The sender\'s display name; empty when the mail gave none.' })
  senderName!: string;

  @Field({ description: 'The mail\'s subject.' })
  subject!: string;

  @Field({ description: 'The new text of the reply, without quoted text and signature.' })
  body!: string;

  @Field(() => HeldMailState, { description: 'Held, approved or dropped.' })
  state!: HeldMailState;

  @Field(() => Date, { description: 'When the mail arrived.' })
  receivedAt!: Date;

  static from(record: HeldMailRecord): HeldMail {
    return Object.assign(new HeldMail(), {
      id: toGlobalId('HeldMail', record.id),
      sender: record.sender,
      senderName: record.senderName,
      subject: record.subject,
      body: record.body,
      state: record.state as HeldMailState,
      receivedAt: record.receivedAt,
    });
  }
}
