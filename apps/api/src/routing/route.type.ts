import { Field, ObjectType } from '@nestjs/graphql';
import type { RouteRecord } from '@headwaters/items';

@ObjectType({ description: 'Where an item is routed, and why.' })
export class Route {
  @Field({ description: 'A sentence a person can read: which rule or ownership decided this route.' })
  reason!: string;

  @Field({ description: 'True when a maintainer set the route by hand instead of the ownership rules.' })
  manual!: boolean;

  @Field({ description: 'When the route was decided.' })
  decidedAt!: Date;

  upstreamId!: number;
  componentId!: number | null;

  static from(record: RouteRecord): Route {
    return Object.assign(new Route(), record);
  }
}
