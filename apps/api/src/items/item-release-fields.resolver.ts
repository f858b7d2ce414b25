import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Release } from '../catalogue/catalogue.types';
import { Bug, FeatureSuggestion } from './item.type';

@Resolver(() => Bug)
export class BugFieldsResolver {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly dataSource: DataSource,
  ) {}

  @ResolveField(() => [Release], { description: 'Releases where the bug shows.' })
  async affectedReleases(@Parent() bug: Bug, @Context() context: RequestContext): Promise<Release[]> {
    const ids = await context
      .loader<number, number[]>('affectedReleases', async (itemIds) => {
        const rows = await this.dataSource.query<{ item_id: number; release_id: number }[]>(
          `SELECT item_id, release_id FROM item_release WHERE item_id = ANY($1) ORDER BY release_id`,
          [itemIds],
        );
        return itemIds.map((id) => rows.filter((r) => r.item_id === id).map((r) => r.release_id));
      })
      .load(bug.record.id);
    const snapshot = await catalogueOf(context, this.reader);
    return ids.flatMap((id) => {
      const release = snapshot.releases.get(id);
      return release ? [Release.from(release)] : [];
    });
  }

  @ResolveField(() => Release, { nullable: true, description: 'The release that carries the fix.' })
  async fixedIn(@Parent() bug: Bug, @Context() context: RequestContext): Promise<Release | null> {
    const release = bug.record.fixedInId === null ? undefined : (await catalogueOf(context, this.reader)).releases.get(bug.record.fixedInId);
    return release ? Release.from(release) : null;
  }
}

@Resolver(() => FeatureSuggestion)
export class FeatureFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Release, { nullable: true, description: 'The release it is planned for.' })
  async plannedFor(@Parent() feature: FeatureSuggestion, @Context() context: RequestContext): Promise<Release | null> {
    const release = feature.record.plannedForId === null ? undefined : (await catalogueOf(context, this.reader)).releases.get(feature.record.plannedForId);
    return release ? Release.from(release) : null;
  }
}
