import { Module } from '@nestjs/common';
import { CatalogueModule } from '@headwaters/catalogue';
import { RoutingService } from './routing.service';

/** Who owns what: routes with readable reasons, previewed before filing. */
@Module({
  imports: [CatalogueModule],
  providers: [RoutingService],
  exports: [RoutingService, CatalogueModule],
})
export class RoutingModule {}
