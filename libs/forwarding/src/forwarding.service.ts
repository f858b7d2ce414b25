import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader, type CatalogueSnapshot } from '@headwaters/catalogue';
import { recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { ItemEvents, itemStore, ItemWriter, policyTargetOf, type ForwardRecord, type ForwardState, type RouteChange, type TriageDone } from '@headwaters/items';
import { forwardingHow, forwardNeeded, handledHere, NEEDS_FORWARD } from './forward-rules';
import { forwardStore } from './forward-store';
import { ForwardSender, sentFromHere } from './forward-sender';
import { forwardingError } from './forwarding.reasons';

export const MAX_REFERENCE = 500;

/**
 * The record of sending items upstream (like the Debian BTS's forwarded-to), kept by maintainers,
 * and the rules that keep it right as items change: a triaged item that needs forwarding gets a
 * PENDING forward, and a pending forward follows its item's route.
 */
@Injectable()
export class ForwardingService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
    private readonly events: ItemEvents,
    private readonly sender: ForwardSender,
  ) {}

  onModuleInit(): void {
    this.events.onRouted((tx, changes, snapshot) => this.followRoutes(tx, changes, snapshot));
    this.events.onTriaged((tx, done, snapshot) => this.markForwardNeeded(tx, done, snapshot));
  }

  /**
   * Forwards the item: to the upstream it is routed to, or (`upstreamSlug`) to another one it
   * also affects. With a reference, records a forward done elsewhere. Without one, a
   * MAILING_LIST or WEBHOOK upstream is sent its mail or signed POST (queued in this same
   * transaction; the forward is FORWARDED at once and its deliveries show the progress); a
   * MANUAL upstream needs the reference its tracker gave.
   */
  async forward(actor: Actor | null, itemId: number, reference: string | null | undefined, upstreamSlug?: string | null): Promise<ForwardRecord> {
    const ref = reference?.trim() || null;
    if (ref !== null && ref.length > MAX_REFERENCE) throw forwardingError('INVALID_REFERENCE', `reference must be at most ${MAX_REFERENCE} characters`, 'reference');
    let queued = false;
    const result = await inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.forward', policyTargetOf(snapshot, item));
      const named = upstreamSlug ? snapshot.upstreamBySlug(upstreamSlug) : undefined;
      if (upstreamSlug && !named) throw forwardingError('NOT_AFFECTED', `upstreamSlug: #${item.number} does not affect an upstream "${upstreamSlug}"`, 'upstreamSlug');
      const upstream = named ?? snapshot.upstreams.get(item.route.upstreamId)!;
      const other = upstream.id === item.route.upstreamId ? null : item.forwards.find((f) => f.kind === 'ALSO_AFFECTS' && f.upstreamId === upstream.id);
      if (other === undefined) throw forwardingError('NOT_AFFECTED', `upstreamSlug: #${item.number} does not affect ${upstream.name}`, 'upstreamSlug');
      if (upstream.forwarding === 'HANDLED_HERE') {
        throw forwardingError('NOTHING_TO_FORWARD', `itemId: #${item.number} is routed to ${upstream.name}, which triages here: there is nothing to forward`, 'itemId');
      }
      const previous = other ?? item.forward;
      const current = previous && previous.upstreamId === upstream.id ? previous : null;
      const sends = ref === null && sentFromHere(upstream);
      if (ref === null && !sends) {
        throw forwardingError('REFERENCE_REQUIRED', `reference: ${upstream.name} is forwarded to by hand (in its own tracker): give the reference it gave`, 'reference');
      }
      if (sends && current && (await this.sender.hasPendingDelivery(tx, current.id))) {
        throw forwardingError('DELIVERY_PENDING', `itemId: the forward of #${item.number} to ${upstream.name} is still being delivered`, 'itemId');
      }
      if (sends && current && current.state !== 'PENDING' && current.state !== 'NOT_NEEDED') {
        throw forwardingError('ALREADY_FORWARDED', `itemId: #${item.number} was forwarded to ${upstream.name} already; redeliver its delivery to send it again`, 'itemId');
      }
      if (other) await forwardStore.recordForwarded(tx, other.id, ref);
      else await forwardStore.recordRoutedForwarded(tx, item.id, upstream.id, ref);
      let forward = (await itemStore.get(tx, item.id)).forwards.find((f) => f.upstreamId === upstream.id)!;
      let deliveryId: number | undefined;
      if (sends) {
        const delivery = await this.sender.send(tx, item, forward.id, upstream, snapshot);
        deliveryId = delivery.id;
        // A mail's Message-ID is the upstream's handle on it; a webhook's answer may name its own.
        if (delivery.channel === 'MAIL') await forwardStore.setReference(tx, forward.id, delivery.messageId);
        forward = { ...forward, reference: delivery.channel === 'MAIL' ? delivery.messageId : forward.reference };
        queued = true;
      }
      await this.writer.touch(tx, item.id);
      const again = previous?.state === 'FORWARDED' && previous.upstreamId === upstream.id;
      const how = sends ? ` ${forwardingHow(upstream)}` : '';
      await recordEvents(tx, [
        {
          itemId: item.id, type: 'FORWARDED', actorId: who.userId,
          summary: `${who.username} ${again ? 'updated the forward to' : 'forwarded this to'} ${upstream.name}${how}${ref ? `: ${ref}` : ''}`,
          data: { upstreamId: upstream.id, reference: ref, ...(deliveryId ? { deliveryId } : {}) },
        },
      ]);
      return forward;
    });
    if (queued) this.sender.wake();
    return result;
  }

  /** What the upstream did with a forwarded item (a bug watch, kept by hand). */
  setUpstreamOutcome(actor: Actor | null, itemId: number, state: Extract<ForwardState, 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED'>): Promise<ForwardRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.forward', policyTargetOf(snapshot, item));
      const forward = item.forward;
      if (!forward || !['FORWARDED', 'UPSTREAM_FIXED', 'UPSTREAM_REJECTED'].includes(forward.state)) {
        throw forwardingError('NOT_FORWARDED', `itemId: #${item.number} has not been forwarded yet`, 'itemId');
      }
      if (forward.state === state) return forward;
      await forwardStore.setState(tx, forward.id, state);
      await this.writer.touch(tx, item.id);
      const upstream = snapshot.upstreams.get(forward.upstreamId);
      const outcome = state === 'UPSTREAM_FIXED' ? 'fixed it' : 'declined it';
      await recordEvents(tx, [
        { itemId: item.id, type: 'UPSTREAM_OUTCOME', actorId: who.userId, summary: `${who.username} recorded that ${upstream?.name ?? 'the upstream'} ${outcome}`, data: { state, upstreamId: forward.upstreamId } },
      ]);
      return { ...forward, state };
    });
  }

  /** After a triage: an item that now needs forwarding gets a PENDING forward and a FORWARD_NEEDED event. */
  private async markForwardNeeded(tx: SqlRunner, done: TriageDone, snapshot: CatalogueSnapshot): Promise<void> {
    // The status alone decides most triages: no need to read the item.
    if (!NEEDS_FORWARD.has(done.status)) return;
    const item = await itemStore.get(tx, done.itemId);
    const upstream = forwardNeeded(snapshot, item, done.status);
    if (!upstream) return;
    await forwardStore.markPending(tx, item.id, upstream.id);
    await recordEvents(tx, [{ itemId: item.id, type: 'FORWARD_NEEDED', actorId: done.actorId, summary: `Needs forwarding to ${upstream.name}, ${forwardingHow(upstream)}`, data: { upstreamId: upstream.id } }]);
  }

  /** Re-routed items: pending forwards follow (see forwardStore.followRoute). */
  private async followRoutes(tx: SqlRunner, changes: readonly RouteChange[], snapshot: CatalogueSnapshot): Promise<void> {
    const byUpstream = new Map<number, number[]>();
    for (const change of changes) byUpstream.set(change.upstreamId, [...(byUpstream.get(change.upstreamId) ?? []), change.itemId]);
    for (const [upstreamId, itemIds] of byUpstream) await forwardStore.followRoute(tx, itemIds, upstreamId, handledHere(snapshot, upstreamId));
  }
}
