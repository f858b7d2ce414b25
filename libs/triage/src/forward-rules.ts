import { recordEvents, type SqlRunner } from '@headwaters/core';
import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { ItemStatus } from '@headwaters/items';
import { NEEDS_FORWARD } from './status-rules';

/**
 * After a status change: an item confirmed, triaged or planned for an upstream that does not
 * triage here needs forwarding (PENDING), unless it has been forwarded already.
 */
export async function markForwardNeeded(tx: SqlRunner, snapshot: CatalogueSnapshot, itemId: number, status: ItemStatus, actorId: number): Promise<void> {
  if (!NEEDS_FORWARD.has(status)) return;
  const [item] = await tx.query<{ route_upstream_id: number; forward_state: string | null }[]>(`SELECT route_upstream_id, forward_state FROM item WHERE id = $1`, [itemId]);
  const upstream = snapshot.upstreams.get(item.route_upstream_id);
  if (!upstream || upstream.forwarding === 'HANDLED_HERE') return;
  if (item.forward_state !== null && item.forward_state !== 'NOT_NEEDED') return;
  await tx.query(`UPDATE item SET forward_state = 'PENDING', forward_upstream_id = $2, forward_reference = NULL, forwarded_at = NULL WHERE id = $1`, [itemId, upstream.id]);
  const how = upstream.forwarding === 'MAILING_LIST' ? `by mail to ${upstream.mailingList}` : upstream.forwarding === 'WEBHOOK' ? 'by webhook' : `in its tracker${upstream.trackerUrl ? ` (${upstream.trackerUrl})` : ''}`;
  await recordEvents(tx, [{ itemId, type: 'FORWARD_NEEDED', actorId, summary: `Needs forwarding to ${upstream.name}, ${how}`, data: { upstreamId: upstream.id } }]);
}
