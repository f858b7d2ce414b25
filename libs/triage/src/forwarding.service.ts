import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor } from '@headwaters/core';
import { CatalogueReader } from '@headwaters/catalogue';
import { authorize } from '@headwaters/identity';
import { itemStore, policyTargetOf, type ForwardState } from '@headwaters/items';

export const MAX_REFERENCE = 500;

/** The record of sending items upstream (like the Debian BTS's forwarded-to), kept by maintainers. */
@Injectable()
export class ForwardingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  /** Records that the item was forwarded to its route's upstream, with that upstream's reference. */
  forward(actor: Actor | null, itemId: number, reference: string | null | undefined): Promise<void> {
    const ref = reference?.trim() || null;
    if (ref !== null && ref.length > MAX_REFERENCE) throw DomainError.invalid('INVALID_REFERENCE', `reference must be at most ${MAX_REFERENCE} characters`, 'reference');
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.forward', await policyTargetOf(tx, item));
      const upstream = (await this.reader.fresh(tx)).upstreams.get(item.route.upstreamId)!;
      if (upstream.forwarding === 'HANDLED_HERE') {
        throw DomainError.conflict('NOTHING_TO_FORWARD', `itemId: #${item.number} is routed to ${upstream.name}, which triages here: there is nothing to forward`, 'itemId');
      }
      await tx.query(
        `UPDATE item SET forward_state = 'FORWARDED', forward_upstream_id = $2, forward_reference = $3, forwarded_at = now(), updated_at = now() WHERE id = $1`,
        [item.id, upstream.id, ref],
      );
      const again = item.forward?.state === 'FORWARDED' && item.forward.upstreamId === upstream.id;
      await recordEvents(tx, [
        { itemId: item.id, type: 'FORWARDED', actorId: who.userId, summary: `${who.username} ${again ? 'updated the forward to' : 'forwarded this to'} ${upstream.name}${ref ? `: ${ref}` : ''}`, data: { upstreamId: upstream.id, reference: ref } },
      ]);
    });
  }

  /** What the upstream did with a forwarded item (a bug watch, kept by hand). */
  setUpstreamOutcome(actor: Actor | null, itemId: number, state: Extract<ForwardState, 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED'>): Promise<void> {
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.forward', await policyTargetOf(tx, item));
      if (!item.forward || !['FORWARDED', 'UPSTREAM_FIXED', 'UPSTREAM_REJECTED'].includes(item.forward.state)) {
        throw DomainError.conflict('NOT_FORWARDED', `itemId: #${item.number} has not been forwarded yet`, 'itemId');
      }
      if (item.forward.state === state) return;
      await tx.query(`UPDATE item SET forward_state = $2, updated_at = now() WHERE id = $1`, [item.id, state]);
      const upstream = (await this.reader.fresh(tx)).upstreams.get(item.forward.upstreamId);
      const outcome = state === 'UPSTREAM_FIXED' ? 'fixed it' : 'declined it';
      await recordEvents(tx, [{ itemId: item.id, type: 'FORWARDED', actorId: who.userId, summary: `${who.username} recorded that ${upstream?.name ?? 'the upstream'} ${outcome}`, data: { state } }]);
    });
  }
}
