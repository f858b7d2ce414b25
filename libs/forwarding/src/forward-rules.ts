import type { CatalogueSnapshot, UpstreamRecord } from '@headwaters/catalogue';
import type { ItemRecord, ItemStatus } from '@headwaters/items';

/** Statuses that mean an upstream should hear about the item. */
export const NEEDS_FORWARD: ReadonlySet<ItemStatus> = new Set(['CONFIRMED', 'TRIAGED', 'PLANNED']);

/**
 * The upstream an item needs forwarding to, or null: confirmed, triaged or planned for an
 * upstream that does not triage here, and not forwarded yet (no forward, or one NOT_NEEDED).
 */
export function forwardNeeded(snapshot: CatalogueSnapshot, item: Pick<ItemRecord, 'route' | 'forward'>, status: ItemStatus): UpstreamRecord | null {
  if (!NEEDS_FORWARD.has(status)) return null;
  const upstream = snapshot.upstreams.get(item.route.upstreamId);
  if (!upstream || upstream.forwarding === 'HANDLED_HERE') return null;
  if (item.forward !== null && item.forward.state !== 'NOT_NEEDED') return null;
  return upstream;
}

/** How a forward to this upstream goes, for the FORWARD_NEEDED sentence. */
export function forwardingHow(upstream: UpstreamRecord): string {
  switch (upstream.forwarding) {
    case 'MAILING_LIST':
      return `by mail to ${upstream.mailingList}`;
    case 'WEBHOOK':
      return 'by webhook';
    default:
      return `in its tracker${upstream.trackerUrl ? ` (${upstream.trackerUrl})` : ''}`;
  }
}

/** Whether items routed to this upstream are handled here (no forward at all). */
export function handledHere(snapshot: CatalogueSnapshot, upstreamId: number): boolean {
  return snapshot.upstreams.get(upstreamId)?.forwarding === 'HANDLED_HERE';
}
