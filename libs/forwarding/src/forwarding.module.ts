import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { DeliveryModule } from './delivery';
import { ForwardDeliveries } from './forward-deliveries.service';
import { ForwardQueries } from './forward-queries.service';
import { ForwardSender } from './forward-sender';
import { ForwardingService } from './forwarding.service';

/** Forwards per upstream: the record, the rules of when one is needed, the forwarding use cases. */
@Module({
  imports: [ItemsModule, DeliveryModule],
  providers: [ForwardingService, ForwardQueries, ForwardSender, ForwardDeliveries],
  exports: [ForwardingService, ForwardQueries, ForwardDeliveries],
})
export class ForwardingModule {}
