import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type TimelineEventInput } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import {
  describeTransition, ItemEvents, ItemRouteWriter, itemStore, ItemWriter, policyTargetOf, writeComment, type Importance, type ItemStatus,
} from '@headwaters/items';
import { triageError } from './triage.reasons';

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
    private readonly writer: ItemWriter,
    private readonly routes: ItemRouteWriter,
    private readonly events: ItemEvents,
  ) {}

  triage(actor: Actor | null, itemId: number, change: TriageChange): Promise<void> {
    if (!change.status && !change.importance && !change.componentSlug && !change.comment) {
      throw triageError('NOTHING_TO_DO', 'input: give at least one of status, importance, componentSlug or comment', 'input');
    }
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.triage', policyTargetOf(snapshot, item));
      if (change.componentSlug) {
        const component = snapshot.usableComponent(change.componentSlug, 'componentSlug');
        if (component.id !== item.componentId) {
          const before = item.componentId === null ? 'no component' : (snapshot.components.get(item.componentId)?.slug ?? 'a removed component');
          await this.writer.setComponent(tx, itemId, component.id);
          await recordEvents(tx, [{ itemId, type: 'COMPONENT_CHANGED', actorId: who.userId, summary: `${who.username} moved it from ${before} to ${component.slug}`, data: { from: item.componentId, to: component.id } }]);
          await this.routes.rerouteItem(tx, itemId, who.userId);
        }
      }
      const events: TimelineEventInput[] = [];
      if (change.status) {
        await this.writer.setStatus(tx, item, change.status, {
          by: 'triage',
          events: [{ itemId, type: 'STATUS_CHANGED', actorId: who.userId, summary: `${who.username} changed the status: ${describeTransition(item.status, change.status)}`, data: { from: item.status, to: change.status } }],
        });
      }
      if (change.importance && change.importance !== item.importance) {
        await this.writer.setImportance(tx, itemId, change.importance);
        events.push({ itemId, type: 'IMPORTANCE_CHANGED', actorId: who.userId, summary: `${who.username} set the importance: ${IMPORTANCE_LABELS[item.importance]} → ${IMPORTANCE_LABELS[change.importance]}`, data: { from: item.importance, to: change.importance } });
      }
      await recordEvents(tx, events);
      // A new status or a new route may each make the item need forwarding (the forwarding library listens).
      await this.events.triaged(tx, { itemId, status: change.status ?? item.status, actorId: who.userId }, snapshot);
      if (change.comment) await writeComment(tx, { itemId, authorId: who.userId, authorName: who.username, body: change.comment });
    });
  }
}
