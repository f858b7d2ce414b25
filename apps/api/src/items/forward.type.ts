import { Field, ObjectType } from '@nestjs/graphql';
import type { ForwardRecord } from '@headwaters/items';
import { Upstream } from '../catalogue/catalogue.types';
import { ForwardState } from './item-enums';

@ObjectType({ description: 'The record of an item sent to the upstream that owns it.' })
export class Forward {
  @Field(() => ForwardState, { description: 'Where sending it stands.' })
  state!: string;

  @Field(() => String, { nullable: true, description: "The upstream's own reference: a bug number, a URL, a message id." })
  reference!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was forwarded.' })
  forwardedAt!: Date | null;

  @Field(() => Upstream, { description: 'The upstream it goes to.' })
  upstream?: Upstream;

  upstreamId!: number;

  static from(record: ForwardRecord): Forward {
    return Object.assign(new Forward(), record);
  }
}
