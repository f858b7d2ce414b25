import { Field, ObjectType } from '@nestjs/graphql';
import type { RouteRecord } from '@headwaters/items';
import { Component, Upstream } from '../catalogue/catalogue.types';

@ObjectType({ description: 'Where an item is routed, and why.' })
export class Route {
  @Field({ description: 'A sentence a person can read: which rule or ownership decided this route.' })
  reason!: string;

  @Field({ description: 'True when a maintainer set the route by hand instead of the ownership rules.' })
  manual!: boolean;

  @Field({ description: 'When the route was decided.' })
  decidedAt!: Date;

  @Field(() => Upstream, { description: 'The upstream the item goes to.' })
  upstream?: Upstream;

  @Field(() => Component, { nullable: true, description: 'The component the route was decided for.' })
  component?: Component | null;

  upstreamId!: number;
  componentId!: number | null;

  static from(record: RouteRecord): Route {
    return Object.assign(new Route(), record);
  }
}
