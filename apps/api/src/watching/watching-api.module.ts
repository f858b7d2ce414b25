import { Module } from '@nestjs/common';
import { WatchModule } from '@headwaters/forwarding';
import { ItemsModule } from '@headwaters/items';
import { WatchingResolver } from './watching.resolver';

/** Watching upstreams' GraphQL: linking and checking records, moderating held replies. The webhook route is registered on the HTTP server (github-hooks.route.ts). */
@Module({
  imports: [WatchModule, ItemsModule],
  providers: [WatchingResolver],
})
export class WatchingApiModule {}
