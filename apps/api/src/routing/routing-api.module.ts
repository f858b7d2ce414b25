import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { RoutingModule } from '@headwaters/routing';
import { RoutingResolver } from './routing.resolver';

/** Routing over GraphQL: previews, and routes set by hand. */
@Module({
  imports: [RoutingModule, ItemsModule],
  providers: [RoutingResolver],
})
export class RoutingApiModule {}
