import { randomUUID } from 'node:crypto';
import type { CatalogueSnapshot, UpstreamRecord } from '@headwaters/catalogue';
import type { ItemRecord } from '@headwaters/items';
import type { NewDelivery } from './delivery';

/** The event of a forward's deliveries (a webhook's X-Headwaters-Event). */
export const FORWARD_EVENT = 'item.forwarded';

/** What a forward's message tells besides the item itself. */
export interface ForwardContext {
  item: ItemRecord;
  forwardId: number;
  upstream: UpstreamRecord;
  catalogue: CatalogueSnapshot;
  reporter: string;
  /** Slugs of the releases it affects. */
  affectedReleases: string[];
  /** Where links point: PUBLIC_URL without its trailing slash. */
  publicUrl: string;
  /** The host of our Message-IDs (MAIL_FROM's domain). */
  mailHost: string;
}

/** `<item-N.forward-K@host>`: the same for every delivery of one forward, so lists see one message. */
export function forwardMessageId(itemNumber: number, forwardId: number, host: string): string {
  return `<item-${itemNumber}.forward-${forwardId}@${host}>`;
}

/**
 * The package a Debian-style tracker files it under: the nearest `packageName` on the item's
 * component lineage, else that of a component the upstream owns (Debian's packaging/debian:
 * xcp-xapi, for a XAPI bug that Debian's package also carries).
 */
export function packageFor(catalogue: CatalogueSnapshot, item: Pick<ItemRecord, 'componentId'>, upstream: UpstreamRecord): string | null {
  if (item.componentId !== null) {
    const named = catalogue.lineage(item.componentId).find((c) => c.packageName);
    if (named) return named.packageName;
  }
  const owned = [...catalogue.components.values()].filter((c) => c.packageName && catalogue.ownership(c.id)?.owner.id === upstream.id).sort((a, b) => a.slug.localeCompare(b.slug));
  return owned[0]?.packageName ?? null;
}

/** The mail of a forward to a MAILING_LIST upstream: subject `[#N] title`, a plain-text body, Debbugs pseudo-headers first where the tracker reads them. */
export function forwardMail(context: ForwardContext): NewDelivery {
  const { item, upstream, catalogue } = context;
  const component = item.componentId === null ? null : catalogue.components.get(item.componentId);
  const lines: string[] = [];
  if (upstream.trackerKind === 'DEBBUGS') {
    const pkg = packageFor(catalogue, item, upstream);
    if (pkg) lines.push(`Package: ${pkg}`);
    for (const release of context.affectedReleases) lines.push(`Version: ${release}`);
    if (lines.length) lines.push('');
  }
  const link = `${context.publicUrl}/items/${item.number}`;
  lines.push(
    item.description.trim() || '(no description)',
    '',
    '-- ',
    `${item.kind === 'BUG' ? 'Bug' : 'Feature suggestion'} #${item.number}, forwarded to ${upstream.name} by Headwaters`,
    `Kind:      ${item.kind}`,
    `Component: ${component ? `${component.slug} (${component.name})` : 'none'}`,
    `Affects:   ${context.affectedReleases.length ? context.affectedReleases.join(', ') : 'no release named'}`,
    `Reporter:  ${context.reporter}`,
    `Route:     ${item.route.reason}`,
    `Link:      ${link}`,
  );
  return {
    event: FORWARD_EVENT,
    channel: 'MAIL',
    destination: upstream.mailingList!,
    subject: `[#${item.number}] ${item.title}`,
    payload: `${lines.join('\n')}\n`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Headwaters-Item': String(item.number), 'X-Auto-Response-Suppress': 'All' },
    messageId: forwardMessageId(item.number, context.forwardId, context.mailHost),
    forwardId: context.forwardId,
  };
}

/** The signed POST of a forward to a WEBHOOK upstream. */
export function forwardWebhook(context: ForwardContext): NewDelivery {
  const { item, upstream, catalogue } = context;
  const delivery = randomUUID();
  const component = item.componentId === null ? null : catalogue.components.get(item.componentId);
  const body = {
    event: FORWARD_EVENT,
    delivery,
    item: {
      number: item.number,
      title: item.title,
      description: item.description,
      kind: item.kind,
      status: item.status,
      importance: item.importance,
      component: component?.slug ?? null,
      url: `${context.publicUrl}/items/${item.number}`,
      reporter: context.reporter,
      affectedReleases: context.affectedReleases,
    },
    upstream: { slug: upstream.slug, name: upstream.name },
  };
  return {
    event: FORWARD_EVENT,
    channel: 'WEBHOOK',
    destination: upstream.webhookUrl!,
    payload: JSON.stringify(body),
    messageId: delivery,
    signingKey: `upstream:${upstream.id}`,
    forwardId: context.forwardId,
  };
}
