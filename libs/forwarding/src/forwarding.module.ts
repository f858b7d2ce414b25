import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { ForwardQueries } from './forward-queries.service';
import { ForwardingService } from './forwarding.service';

/** Forwards per upstream: the record, the rules of when one is needed, the forwarding use cases. */
@Module({
  imports: [ItemsModule],
  providers: [ForwardingService, ForwardQueries],
  exports: [ForwardingService, ForwardQueries],
})
export class ForwardingModule {}
