import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { ForwardRecord } from '@headwaters/items';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { Upstream } from '../catalogue/catalogue.types';
import { ForwardState } from '../items/item-enums';

@ObjectType({ implements: () => [Node], description: 'The record of an item sent to the upstream that owns it.' })
export class Forward implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field(() => ForwardState, { description: 'Where sending it stands.' })
  state!: string;

  @Field(() => String, { nullable: true, description: "The upstream's own reference: a bug number, a URL, a message id." })
  reference!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was forwarded.' })
  forwardedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The upstream's own record of this item (an issue or bug URL), watched once linked." })
  url!: string | null;

  @Field(() => String, { nullable: true, description: "The upstream's own status as last read, verbatim: open, closed (completed), done, Fix Released, RESOLVED FIXED, ..." })
  remoteStatus!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the upstream record was last read.' })
  lastCheckedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last check of url failed, in words; null after a good check.' })
  checkError!: string | null;

  // Resolved directly from the catalogue (see item-fields.resolver.ts).
  @Field(() => Upstream, { description: 'The upstream it goes to.' })
  upstream?: Upstream;

  /** The record behind it; not a GraphQL field. */
  record!: ForwardRecord;

  static from(record: ForwardRecord): Forward {
    return Object.assign(new Forward(), {
      id: toGlobalId('Forward', record.id),
      state: record.state,
      reference: record.reference,
      forwardedAt: record.forwardedAt,
      url: record.url,
      remoteStatus: record.remoteStatus,
      lastCheckedAt: record.lastCheckedAt,
      checkError: record.checkError,
      record,
    });
  }
}
