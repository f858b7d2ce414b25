import type { CatalogueSnapshot, UpstreamRecord } from '@headwaters/catalogue';

/** The upstream that triages items nobody else owns yet: the distribution itself. */
export const DISTRIBUTION_SLUG = 'xenserver';

/** Where an item goes and why, in a sentence a person can read. */
export interface RouteDecision {
  upstreamId: number;
  componentId: number | null;
  reason: string;
}

/** Thrown when the catalogue lacks the distribution upstream: a broken installation, not bad input. */
export class NoDistributionUpstreamError extends Error {
  constructor() {
    super(`The catalogue has no "${DISTRIBUTION_SLUG}" upstream to route unowned items to`);
  }
}

function distribution(snapshot: CatalogueSnapshot): UpstreamRecord {
  const upstream = snapshot.upstreamBySlug(DISTRIBUTION_SLUG);
  if (!upstream) throw new NoDistributionUpstreamError();
  return upstream;
}

/**
 * The routing rules, pure: an item on a component goes to the component's owner (its own, or
 * the nearest ancestor's), with the reason naming where ownership came from; an item with no
 * component, or whose owner is retired, goes to the distribution to be triaged.
 */
export function decideRoute(snapshot: CatalogueSnapshot, componentId: number | null): RouteDecision {
  if (componentId === null) {
    const home = distribution(snapshot);
    return { upstreamId: home.id, componentId: null, reason: `No component given: ${home.name} triages it and finds the upstream that owns it` };
  }
  const component = snapshot.components.get(componentId);
  const ownership = snapshot.ownership(componentId);
  if (!component || !ownership) {
    const home = distribution(snapshot);
    return { upstreamId: home.id, componentId, reason: `No owner is known for this component: ${home.name} triages it` };
  }
  const { owner, source } = ownership;
  const via = source.id === component.id ? '' : ` (inherited from ${source.slug})`;
  if (owner.retiredAt) {
    const home = distribution(snapshot);
    return { upstreamId: home.id, componentId, reason: `${component.slug} is owned by ${owner.name}${via}, which is retired: ${home.name} triages it` };
  }
  return { upstreamId: owner.id, componentId, reason: `${component.slug} is owned by ${owner.name}${via}` };
}
