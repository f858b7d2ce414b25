import { slugNotFound } from '@headwaters/core';
import { catalogueError } from './catalogue.reasons';
import type { ComponentRecord, ReleaseRecord, UpstreamRecord } from './catalogue.records';

/** Who owns a component, and where that ownership comes from. */
export interface Ownership {
  owner: UpstreamRecord;
  /** The component whose own owner this is: the component itself, or its nearest owning ancestor. */
  source: ComponentRecord;
}

/**
 * The whole catalogue at one moment: small (dozens of rows), so it is read whole and every
 * question about the tree (owners, lineages, subtrees, cycles) is answered in memory, purely.
 */
export class CatalogueSnapshot {
  readonly upstreams: ReadonlyMap<number, UpstreamRecord>;
  readonly components: ReadonlyMap<number, ComponentRecord>;
  readonly releases: ReadonlyMap<number, ReleaseRecord>;
  private readonly childrenOf = new Map<number | null, ComponentRecord[]>();

  /**
   * @param version the catalogue's version when read (migration CatalogueVersion), null when not
   *   known: a write deciding from this snapshot can check in its own statement that it is still current.
   */
  constructor(upstreams: UpstreamRecord[], components: ComponentRecord[], releases: ReleaseRecord[], readonly version: number | null = null) {
    this.upstreams = new Map(upstreams.map((u) => [u.id, u]));
    this.components = new Map(components.map((c) => [c.id, c]));
    this.releases = new Map(releases.map((r) => [r.id, r]));
    for (const component of [...components].sort((a, b) => a.slug.localeCompare(b.slug))) {
      const siblings = this.childrenOf.get(component.parentId) ?? [];
      siblings.push(component);
      this.childrenOf.set(component.parentId, siblings);
    }
  }

  upstreamBySlug(slug: string): UpstreamRecord | undefined {
    for (const upstream of this.upstreams.values()) if (upstream.slug === slug) return upstream;
    return undefined;
  }

  componentBySlug(slug: string): ComponentRecord | undefined {
    for (const component of this.components.values()) if (component.slug === slug) return component;
    return undefined;
  }

  releaseBySlug(slug: string): ReleaseRecord | undefined {
    for (const release of this.releases.values()) if (release.slug === slug) return release;
    return undefined;
  }

  /** The component of this slug for new work (filing, moving an item): NOT_FOUND, or BAD_USER_INPUT when retired, naming `field`. */
  usableComponent(slug: string, field: string): ComponentRecord {
    const component = this.componentBySlug(slug);
    if (!component) throw slugNotFound('component', slug, field);
    if (component.retiredAt) throw catalogueError('COMPONENT_RETIRED', `${field}: the component "${slug}" is retired`, field);
    return component;
  }

  /** The upstream of this slug for new work (a route by hand): NOT_FOUND, or BAD_USER_INPUT when retired, naming `field`. */
  usableUpstream(slug: string, field: string): UpstreamRecord {
    const upstream = this.upstreamBySlug(slug);
    if (!upstream) throw slugNotFound('upstream', slug, field);
    if (upstream.retiredAt) throw catalogueError('UPSTREAM_RETIRED', `${field}: the upstream "${slug}" is retired`, field);
    return upstream;
  }

  /** The releases of these slugs (each once), or NOT_FOUND naming `field` and the first unknown slug. */
  releasesBySlugs(slugs: readonly string[], field: string): ReleaseRecord[] {
    return [...new Set(slugs)].map((slug) => {
      const release = this.releaseBySlug(slug);
      if (!release) throw slugNotFound('release', slug, field);
      return release;
    });
  }

  /** The component, then its parent, up to the root. */
  lineage(componentId: number): ComponentRecord[] {
    const line: ComponentRecord[] = [];
    const seen = new Set<number>();
    for (let c = this.components.get(componentId); c && !seen.has(c.id); c = c.parentId === null ? undefined : this.components.get(c.parentId)) {
      seen.add(c.id);
      line.push(c);
    }
    return line;
  }

  /** The component's own owner, or the nearest ancestor's. */
  ownership(componentId: number): Ownership | undefined {
    for (const component of this.lineage(componentId)) {
      if (component.ownerId !== null) {
        const owner = this.upstreams.get(component.ownerId);
        if (owner) return { owner, source: component };
      }
    }
    return undefined;
  }

  children(componentId: number | null): ComponentRecord[] {
    return this.childrenOf.get(componentId) ?? [];
  }

  /** The component and all its descendants. */
  subtree(componentId: number): ComponentRecord[] {
    const root = this.components.get(componentId);
    if (!root) return [];
    const all = [root];
    for (let i = 0; i < all.length; i++) all.push(...this.children(all[i].id));
    return all;
  }

  /** Whether putting `componentId` under `parentId` would make it its own ancestor. */
  wouldCycle(componentId: number, parentId: number): boolean {
    return this.lineage(parentId).some((c) => c.id === componentId);
  }
}
