import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader, type CatalogueSnapshot } from '@headwaters/catalogue';
import { recordEvents, type Actor, type SqlRunner, type TimelineEventInput } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import {
  checkTagCount, cleanTags, describeTransition, ItemEvents, ItemRouteWriter, itemStore, ItemWriter, policyTargetOf, writeComment, type Importance, type ItemRecord, type ItemStatus,
} from '@headwaters/items';
import { triageError } from './triage.reasons';

export interface TriageChange {
  status?: ItemStatus | null;
  importance?: Importance | null;
  /** Moving an item to another component re-routes it. */
  componentSlug?: string | null;
  comment?: string | null;
  /** Bugs: the release that carries the fix, by slug; an empty string clears it. */
  fixedInSlug?: string | null;
  /** Features: the release it is planned for, by slug; an empty string clears it. */
  plannedForSlug?: string | null;
  addTags?: string[] | null;
  removeTags?: string[] | null;
}

/** Whether a change asks for anything at all. */
function asksNothing(change: TriageChange): boolean {
  return !change.status && !change.importance && !change.componentSlug && !change.comment && (change.fixedInSlug ?? null) === null
    && (change.plannedForSlug ?? null) === null && !change.addTags?.length && !change.removeTags?.length;
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
    if (asksNothing(change)) {
      throw triageError('NOTHING_TO_DO', 'input: give at least one of status, importance, componentSlug, comment, fixedInSlug, plannedForSlug, addTags or removeTags', 'input');
    }
    const addTags = cleanTags(change.addTags ?? [], 'addTags');
    const removeTags = cleanTags(change.removeTags ?? [], 'removeTags');
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
      events.push(...(await this.setRelease(tx, snapshot, item, who, 'fixedIn', change.fixedInSlug)));
      events.push(...(await this.setRelease(tx, snapshot, item, who, 'plannedFor', change.plannedForSlug)));
      events.push(...(await this.retag(tx, item, who, addTags, removeTags)));
      await recordEvents(tx, events);
      // A new status or a new route may each make the item need forwarding (the forwarding library listens).
      await this.events.triaged(tx, { itemId, status: change.status ?? item.status, actorId: who.userId }, snapshot);
      if (change.comment) await writeComment(tx, { itemId, authorId: who.userId, authorName: who.username, body: change.comment });
    });
  }

  /** fixedIn (bugs) or plannedFor (features): a release slug, or '' to clear; null/undefined leaves it. */
  private async setRelease(tx: SqlRunner, snapshot: CatalogueSnapshot, item: ItemRecord, who: Actor, which: 'fixedIn' | 'plannedFor', slug: string | null | undefined): Promise<TimelineEventInput[]> {
    if (slug === null || slug === undefined) return [];
    const field = `${which}Slug`;
    const kind = which === 'fixedIn' ? 'BUG' : 'FEATURE';
    if (item.kind !== kind) throw triageError('RELEASE_NOT_FOR_KIND', `${field}: ${which === 'fixedIn' ? 'only bugs are fixed in a release; use plannedForSlug' : 'only features are planned for a release; use fixedInSlug'}`, field);
    const release = slug === '' ? null : snapshot.releasesBySlugs([slug], field)[0];
    const before = which === 'fixedIn' ? item.fixedInId : item.plannedForId;
    if ((release?.id ?? null) === before) return [];
    await this.writer.setRelease(tx, item.id, which, release?.id ?? null);
    const what = which === 'fixedIn' ? 'the release with the fix' : 'the release it is planned for';
    const summary = release ? `${who.username} set ${what}: ${release.name}` : `${who.username} cleared ${what}`;
    const data = { from: before, to: release?.id ?? null };
    return [which === 'fixedIn' ? { itemId: item.id, type: 'FIXED_IN_CHANGED', actorId: who.userId, summary, data } : { itemId: item.id, type: 'PLANNED_FOR_CHANGED', actorId: who.userId, summary, data }];
  }

  /** Adds and removes tags (a tag both added and removed is removed); at most MAX_TAGS remain. */
  private async retag(tx: SqlRunner, item: ItemRecord, who: Actor, add: string[], remove: string[]): Promise<TimelineEventInput[]> {
    const added = add.filter((t) => !item.tags.includes(t) && !remove.includes(t));
    const removed = remove.filter((t) => item.tags.includes(t));
    if (added.length === 0 && removed.length === 0) return [];
    const tags = [...item.tags.filter((t) => !removed.includes(t)), ...added].sort();
    checkTagCount(tags, 'addTags');
    await this.writer.setTags(tx, item.id, tags);
    const events: TimelineEventInput[] = [];
    if (added.length) events.push({ itemId: item.id, type: 'TAGGED', actorId: who.userId, summary: `${who.username} added ${added.length > 1 ? 'the tags' : 'the tag'} ${added.join(', ')}`, data: { tags: added } });
    if (removed.length) events.push({ itemId: item.id, type: 'UNTAGGED', actorId: who.userId, summary: `${who.username} removed ${removed.length > 1 ? 'the tags' : 'the tag'} ${removed.join(', ')}`, data: { tags: removed } });
    return events;
  }
}
