import { Module } from '@nestjs/common';
import { CatalogueAdminService } from './catalogue-admin.service';
import { CatalogueReader } from './catalogue-reader';

/** Upstreams, components and releases: what ownership is read from. */
@Module({
  providers: [CatalogueReader, CatalogueAdminService],
  exports: [CatalogueReader, CatalogueAdminService],
})
export class CatalogueModule {}
