import { Module } from '@nestjs/common';
import { DeliveryModule } from '@headwaters/forwarding';

/** Forwards to upstreams and the deliveries that carry them. */
@Module({ imports: [DeliveryModule] })
export class ForwardingApiModule {}
