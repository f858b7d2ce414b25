import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { ItemsModule } from '@headwaters/items';
import { ReleaseFieldsResolver, UpstreamFieldsResolver } from './catalogue-fields.resolver';
import { CatalogueDirectFields } from './catalogue-direct-fields';
import { CatalogueResolver } from './catalogue.resolver';
import { Component, Release, Upstream } from './catalogue.types';

/** The catalogue's GraphQL: upstreams, components, releases (and an upstream's items). */
@Module({
  imports: [ItemsModule],
  providers: [CatalogueResolver, UpstreamFieldsResolver, ReleaseFieldsResolver, CatalogueDirectFields],
})
export class CatalogueApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly reader: CatalogueReader,
  ) {}

  onModuleInit(): void {
    this.registry.register('Upstream', async (ids) => {
      const snapshot = await this.reader.snapshot();
      return ids.map((id) => (snapshot.upstreams.has(id) ? Upstream.from(snapshot.upstreams.get(id)!) : null));
    });
    this.registry.register('Component', async (ids) => {
      const snapshot = await this.reader.snapshot();
      return ids.map((id) => (snapshot.components.has(id) ? Component.from(snapshot.components.get(id)!) : null));
    });
    this.registry.register('Release', async (ids) => {
      const snapshot = await this.reader.snapshot();
      return ids.map((id) => (snapshot.releases.has(id) ? Release.from(snapshot.releases.get(id)!) : null));
    });
  }
}
