import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize, isAdmin } from '@headwaters/identity';
import { itemStore, ItemWriter, policyTargetOf, type ForwardRecord } from '@headwaters/items';
import { DELIVERY_COLUMNS, DeliveryOutbox, type DeliveryRecord } from './delivery';
import { FORWARD_EVENT } from './forward-message';
import { forwardStore } from './forward-store';
import { forwardingError } from './forwarding.reasons';

/**
 * Forwards to several upstreams and the deliveries that carry them: "also affects", redelivery,
 * and what a delivery's end means for its forward (a reference or record URL learnt from a
 * webhook's answer; a FAILED delivery puts the forward back to PENDING, with FORWARD_FAILED).
 */
@Injectable()
export class ForwardDeliveries implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
    private readonly outbox: DeliveryOutbox,
  ) {}

  onModuleInit(): void {
    this.outbox.onOutcome(FORWARD_EVENT, {
      delivered: (tx, deliveries) => this.delivered(tx, deliveries),
      failed: async (tx, deliveries) => {
        for (const delivery of deliveries) await this.failed(tx, delivery);
      },
      requeued: async (tx, delivery) => {
        if (delivery.forwardId !== null) await forwardStore.inFlightAgain(tx, delivery.forwardId);
      },
    });
  }

  /** Adds a forward to another upstream the item affects (PENDING until forwarded). The item's maintainers and admins. */
  alsoAffects(actor: Actor | null, itemId: number, upstreamSlug: string): Promise<ForwardRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.forward', policyTargetOf(snapshot, item));
      const upstream = snapshot.upstreamBySlug(upstreamSlug);
      if (!upstream) throw forwardingError('NOT_AFFECTED', `upstreamSlug: no upstream has the slug "${upstreamSlug}"`, 'upstreamSlug');
      if (upstream.retiredAt) throw forwardingError('NOT_AFFECTED', `upstreamSlug: ${upstream.name} is retired`, 'upstreamSlug');
      if (upstream.forwarding === 'HANDLED_HERE') throw forwardingError('NOTHING_TO_FORWARD', `upstreamSlug: ${upstream.name} triages here: there is nothing to forward to it`, 'upstreamSlug');
      if (upstream.id === item.route.upstreamId || item.forwards.some((f) => f.upstreamId === upstream.id)) {
        throw forwardingError('ALREADY_AFFECTED', `upstreamSlug: #${item.number} already has a forward to ${upstream.name}`, 'upstreamSlug');
      }
      const id = await forwardStore.addAlsoAffects(tx, item.id, upstream.id);
      if (id === null) throw forwardingError('ALREADY_AFFECTED', `upstreamSlug: #${item.number} already has a forward to ${upstream.name}`, 'upstreamSlug');
      await this.writer.touch(tx, item.id);
      await recordEvents(tx, [{ itemId: item.id, type: 'ALSO_AFFECTS', actorId: who.userId, summary: `${who.username} noted that this also affects ${upstream.name}`, data: { upstreamId: upstream.id } }]);
      return (await itemStore.get(tx, item.id)).forwards.find((f) => f.id === id)!;
    });
  }

  /** Queues a FAILED (or DELIVERED) delivery again, same ids. The maintainers of its item, and admins. */
  async redeliver(actor: Actor | null, deliveryId: number): Promise<DeliveryRecord> {
    const delivery = await inTransaction(this.dataSource, async (tx) => {
      const [found] = await tx.query<{ itemId: number | null }[]>(`SELECT f.item_id AS "itemId" FROM delivery d LEFT JOIN forward f ON f.id = d.forward_id WHERE d.id = $1`, [deliveryId]);
      if (!found) throw forwardingError('DELIVERY_NOT_FOUND', 'deliveryId: no such delivery', 'deliveryId');
      if (found.itemId === null) {
        // Not a forward's: its owner decides (an integrator's webhook: those who manage it), else only admins.
        if ((await this.outbox.redeliveryAllowed(tx, actor, deliveryId)) === null && !isAdmin(actor)) authorize(actor, 'catalogue.manage');
      } else {
        const item = await itemStore.lockOne(tx, found.itemId);
        authorize(actor, 'item.forward', policyTargetOf(await this.reader.fresh(tx), item));
      }
      return this.outbox.redeliver(tx, deliveryId);
    });
    this.outbox.wake();
    return delivery;
  }

  /** The deliveries of each forward, newest first (few per forward: one per round of attempts). */
  async ofForwards(forwardIds: readonly number[]): Promise<DeliveryRecord[][]> {
    const rows = await this.dataSource.query<DeliveryRecord[]>(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE forward_id = ANY($1) ORDER BY id DESC`, [forwardIds]);
    const byForward = new Map<number, DeliveryRecord[]>();
    for (const row of rows) byForward.set(row.forwardId!, [...(byForward.get(row.forwardId!) ?? []), row]);
    return forwardIds.map((id) => byForward.get(id) ?? []);
  }

  /** Deliveries by id (for `node(id:)`), in key order. */
  async byIds(ids: readonly number[]): Promise<(DeliveryRecord | null)[]> {
    const rows = await this.dataSource.query<DeliveryRecord[]>(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The item each delivery's forward belongs to (null for deliveries that carry no forward). */
  async itemIdsOf(deliveries: readonly (DeliveryRecord | null)[]): Promise<(number | null)[]> {
    const forwardIds = deliveries.map((d) => d?.forwardId ?? null).filter((id): id is number => id !== null);
    const rows = forwardIds.length ? await this.dataSource.query<{ id: number; itemId: number }[]>(`SELECT id, item_id AS "itemId" FROM forward WHERE id = ANY($1)`, [forwardIds]) : [];
    const byForward = new Map(rows.map((r) => [r.id, r.itemId]));
    return deliveries.map((d) => (d?.forwardId != null ? (byForward.get(d.forwardId) ?? null) : null));
  }

  /**
   * What the receivers' answers named, on their forwards (mail answers name nothing); an item
   * whose forward learnt something is touched, so that a sync by `updatedAt` sees it.
   */
  private async delivered(tx: SqlRunner, deliveries: readonly DeliveryRecord[]): Promise<void> {
    const answers = deliveries.flatMap((d) => (d.forwardId !== null && d.response ? [{ forwardId: d.forwardId, reference: d.response.reference ?? null, url: d.response.url ?? null }] : []));
    if (answers.length === 0) return;
    const changed = await forwardStore.recordAnswers(tx, answers);
    if (changed.length > 0) await this.writer.touchAll(tx, changed);
  }

  private async failed(tx: SqlRunner, delivery: DeliveryRecord): Promise<void> {
    if (delivery.forwardId === null) return;
    const [forward] = await tx.query<{ itemId: number; upstreamId: number; name: string }[]>(
      `SELECT f.item_id AS "itemId", f.upstream_id AS "upstreamId", u.name FROM forward f JOIN upstream u ON u.id = f.upstream_id WHERE f.id = $1`,
      [delivery.forwardId],
    );
    if (!forward) return;
    await forwardStore.backToPending(tx, delivery.forwardId);
    await this.writer.touch(tx, forward.itemId);
    const what = delivery.channel === 'MAIL' ? `The mail to ${delivery.destination}` : `The webhook POST to ${forward.name}`;
    await recordEvents(tx, [
      {
        itemId: forward.itemId, type: 'FORWARD_FAILED', actorId: null,
        summary: `${what} failed after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'} (${delivery.lastError ?? 'no reason given'}); the forward is pending again`,
        data: { upstreamId: forward.upstreamId, deliveryId: delivery.id, error: delivery.lastError },
      },
    ]);
  }
}
