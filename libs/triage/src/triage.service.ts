import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor, type TimelineEventInput } from '@headwaters/core';
import { CatalogueReader } from '@headwaters/catalogue';
import { authorize } from '@headwaters/identity';
import { itemStore, policyTargetOf, writeComment, type Importance, type ItemStatus } from '@headwaters/items';
import { RoutingService } from '@headwaters/routing';
import { markForwardNeeded } from './forward-rules';
import { checkTransition, describeTransition } from './status-rules';

export interface TriageChange {
  status?: ItemStatus | null;
  importance?: Importance | null;
  /** Moving an item to another component re-routes it. */
  componentSlug?: string | null;
  comment?: string | null;
}

const IMPORTANCE_LABELS: Record<Importance, string> = { UNDECIDED: 'Undecided', CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', WISHLIST: 'Wishlist' };

/** What maintainers do to an item: status, importance, component, with a comment; all in one transaction. */
@Injectable()
export class TriageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly routing: RoutingService,
  ) {}

  triage(actor: Actor | null, itemId: number, change: TriageChange): Promise<void> {
    if (!change.status && !change.importance && !change.componentSlug && !change.comment) {
      throw DomainError.invalid('NOTHING_TO_DO', 'input: give at least one of status, importance, componentSlug or comment', 'input');
    }
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.triage', await policyTargetOf(tx, item));
      const snapshot = await this.reader.fresh(tx);
      const events: TimelineEventInput[] = [];
      if (change.componentSlug) {
        const component = snapshot.componentBySlug(change.componentSlug);
        if (!component) throw DomainError.notFound('COMPONENT_NOT_FOUND', `componentSlug: no component has the slug "${change.componentSlug}"`, 'componentSlug');
        if (component.retiredAt) throw DomainError.invalid('COMPONENT_RETIRED', `componentSlug: the component "${change.componentSlug}" is retired`, 'componentSlug');
        if (component.id !== item.componentId) {
          const before = item.componentId === null ? 'no component' : (snapshot.components.get(item.componentId)?.slug ?? 'a removed component');
          await tx.query(`UPDATE item SET component_id = $2, updated_at = now() WHERE id = $1`, [itemId, component.id]);
          await recordEvents(tx, [{ itemId, type: 'COMPONENT_CHANGED', actorId: who.userId, summary: `${who.username} moved it from ${before} to ${component.slug}`, data: { from: item.componentId, to: component.id } }]);
          await this.routing.rerouteItem(tx, itemId, who.userId);
        }
      }
      if (change.status && checkTransition(item.kind, item.status, change.status, 'triage')) {
        await tx.query(
          `UPDATE item SET status = $2, incomplete_since = CASE WHEN $2 = 'INCOMPLETE' THEN now() ELSE NULL END, updated_at = now() WHERE id = $1`,
          [itemId, change.status],
        );
        events.push({ itemId, type: 'STATUS_CHANGED', actorId: who.userId, summary: `${who.username} changed the status: ${describeTransition(item.status, change.status)}`, data: { from: item.status, to: change.status } });
      }
      if (change.importance && change.importance !== item.importance) {
        await tx.query(`UPDATE item SET importance = $2, updated_at = now() WHERE id = $1`, [itemId, change.importance]);
        events.push({ itemId, type: 'IMPORTANCE_CHANGED', actorId: who.userId, summary: `${who.username} set the importance: ${IMPORTANCE_LABELS[item.importance]} → ${IMPORTANCE_LABELS[change.importance]}`, data: { from: item.importance, to: change.importance } });
      }
      await recordEvents(tx, events);
      // A new status or a new route may each make the item need forwarding.
      await markForwardNeeded(tx, snapshot, itemId, change.status ?? item.status, who.userId);
      if (change.comment) await writeComment(tx, { itemId, authorId: who.userId, authorName: who.username, body: change.comment });
    });
  }
}
