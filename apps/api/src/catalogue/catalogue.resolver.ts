import { Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';

import { CatalogueAdminService, CatalogueReader } from '@headwaters/catalogue';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { sliceInMemory } from '@headwaters/database';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from './catalogue-context';
import { ComponentConnection } from './component-connection.type';
import {
  ComponentPayload, CreateComponentInput, CreateReleaseInput, CreateUpstreamInput, IncludeRetiredArgs, ReleasePayload,
  RetireUpstreamInput, UpdateComponentInput, UpdateReleaseInput, UpdateUpstreamInput, UpstreamPayload,
} from './catalogue.inputs';
import { Component, Release, Upstream } from './catalogue.types';

/** Reading and managing the catalogue: upstreams, components, releases. */
@Resolver()
export class CatalogueResolver {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly admin: CatalogueAdminService,
  ) {}

  @Query(() => [Upstream], { description: 'Every upstream, by slug (retired ones only when asked).' })
  async upstreams(@Args() args: IncludeRetiredArgs, @Context() context: RequestContext): Promise<Upstream[]> {
    const snapshot = await catalogueOf(context, this.reader);
    return [...snapshot.upstreams.values()].filter((u) => args.includeRetired || !u.retiredAt).sort((a, b) => a.slug.localeCompare(b.slug)).map(Upstream.from);
  }

  @Query(() => Upstream, { nullable: true, description: 'The upstream with this slug, retired or not; null when there is none.' })
  async upstream(@Args('slug') slug: string, @Context() context: RequestContext): Promise<Upstream | null> {
    const found = (await catalogueOf(context, this.reader)).upstreamBySlug(slug);
    return found ? Upstream.from(found) : null;
  }

  @Query(() => ComponentConnection, { description: 'Every component, by slug.' })
  async components(@Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<ConnectionShape<Component>> {
    const snapshot = await catalogueOf(context, this.reader);
    const all = [...snapshot.components.values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
    const page = pageQueryOf(args, 'slug', ['string']);
    return connectionOf(sliceInMemory(all, page, (c) => c.slug), page, 'slug', (c) => [c.slug], Component.from, async () => all.length);
  }

  @Query(() => Component, { nullable: true, description: 'The component with this slug; null when there is none.' })
  async component(@Args('slug') slug: string, @Context() context: RequestContext): Promise<Component | null> {
    const found = (await catalogueOf(context, this.reader)).componentBySlug(slug);
    return found ? Component.from(found) : null;
  }

  @Query(() => [Release], { description: 'Releases, newest first (unreleased ones first of all; retired ones only when asked).' })
  async releases(@Args() args: IncludeRetiredArgs, @Context() context: RequestContext): Promise<Release[]> {
    const snapshot = await catalogueOf(context, this.reader);
    const time = (d: Date | null) => d?.getTime() ?? Number.MAX_SAFE_INTEGER;
    return [...snapshot.releases.values()]
      .filter((r) => args.includeRetired || !r.retiredAt)
      .sort((a, b) => time(b.releasedAt) - time(a.releasedAt) || a.slug.localeCompare(b.slug))
      .map(Release.from);
  }

  @Mutation(() => UpstreamPayload, { description: 'Adds an upstream. Admins only.' })
  async createUpstream(@Args('input') input: CreateUpstreamInput, @Context() context: RequestContext): Promise<UpstreamPayload> {
    const { slug, ...fields } = input;
    return { upstream: Upstream.from(await this.admin.createUpstream(await context.actor(), slug, fields)) };
  }

  @Mutation(() => UpstreamPayload, { description: 'Changes an upstream. Admins only.' })
  async updateUpstream(@Args('input') input: UpdateUpstreamInput, @Context() context: RequestContext): Promise<UpstreamPayload> {
    const { slug, ...fields } = input;
    return { upstream: Upstream.from(await this.admin.updateUpstream(await context.actor(), slug, fields)) };
  }

  @Mutation(() => UpstreamPayload, { description: 'Retires an upstream: it owns nothing new, and the open items it owned go to the distribution. Admins only.' })
  async retireUpstream(@Args('input') input: RetireUpstreamInput, @Context() context: RequestContext): Promise<UpstreamPayload> {
    return { upstream: Upstream.from(await this.admin.retireUpstream(await context.actor(), input.slug)) };
  }

  @Mutation(() => ComponentPayload, { description: "Adds a component. A root needs an owner; a child without one inherits its parent's. Admins only." })
  async createComponent(@Args('input') input: CreateComponentInput, @Context() context: RequestContext): Promise<ComponentPayload> {
    const { slug, ...fields } = input;
    return { component: Component.from(await this.admin.createComponent(await context.actor(), slug, fields)) };
  }

  @Mutation(() => ComponentPayload, { description: 'Renames, moves or re-owns a component; the open items that follow it are re-routed. Admins only.' })
  async updateComponent(@Args('input') input: UpdateComponentInput, @Context() context: RequestContext): Promise<ComponentPayload> {
    const { slug, ...fields } = input;
    return { component: Component.from(await this.admin.updateComponent(await context.actor(), slug, fields)) };
  }

  @Mutation(() => ReleasePayload, { description: 'Adds a release. Admins only.' })
  async createRelease(@Args('input') input: CreateReleaseInput, @Context() context: RequestContext): Promise<ReleasePayload> {
    const { slug, ...fields } = input;
    return { release: Release.from(await this.admin.createRelease(await context.actor(), slug, fields)) };
  }

  @Mutation(() => ReleasePayload, { description: 'Changes, retires or brings back a release. Admins only.' })
  async updateRelease(@Args('input') input: UpdateReleaseInput, @Context() context: RequestContext): Promise<ReleasePayload> {
    const { slug, ...fields } = input;
    return { release: Release.from(await this.admin.updateRelease(await context.actor(), slug, fields)) };
  }
}

