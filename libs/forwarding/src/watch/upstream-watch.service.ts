import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader, type CatalogueSnapshot, type UpstreamRecord as Upstream } from '@headwaters/catalogue';
import { DomainError, recordEvents, slugNotFound, type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { itemStore, ItemWriter, policyTargetOf, type ForwardRecord } from '@headwaters/items';
import { forwardStore } from '../forward-store';
import { decideAfterCheck, type CheckOutcome } from './check-decision';
import type { CheckSchedule } from './check-schedule';
import { debbugsOrigin, parseRecordUrl, type UpstreamRecord } from './record-url';
import { TrackerCheckError } from './trackers/tracker-client';
import { TrackerClients } from './trackers/tracker-clients';
import { watchError } from './watch.reasons';
import { watchStore, type WatchRow } from './watch-store';
import { recordName, statusChangeSummary } from './watch-summary';
import { WatchQueue } from './watch-queue';

/** The settings of watching, from the configuration. */
export class WatchSettings {
  constructor(readonly schedule: CheckSchedule) {}
}

/**
 * Watching forwarded items' records upstream: linking a forward to the upstream's record, reading
 * it back (now, or when a scheduled job runs), and following what the upstream says, edge-triggered.
 */
@Injectable()
export class UpstreamWatchService {
  private readonly log = new Logger('UpstreamWatch');

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
    private readonly clients: TrackerClients,
    private readonly settings: WatchSettings,
    private readonly queue: WatchQueue,
  ) {}

  /**
   * Links the item's forward to `upstreamSlug` (its routed upstream's when left out) to the
   * upstream's own record, checked against the upstream's tracker kind; the first check is queued.
   */
  async linkUpstreamRecord(actor: Actor | null, itemId: number, upstreamSlug: string | null | undefined, url: string): Promise<ForwardRecord> {
    const linked = await inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.forward', policyTargetOf(snapshot, item));
      const target = forwardTarget(snapshot, item.forwards, item.route.upstreamId, item.number, upstreamSlug);
      const upstream = snapshot.upstreams.get(target.upstreamId)!;
      const record = parseRecordUrl(upstream.trackerKind, url, debbugsOrigin(upstream));
      let forward = target.forward;
      if (!forward) {
        // Linked before anyone marked it for forwarding: the routed forward starts here.
        if (upstream.forwarding === 'HANDLED_HERE') throw watchError('NOTHING_TO_FORWARD', `itemId: #${item.number} is routed to ${upstream.name}, which triages here: there is no upstream record to link`, 'itemId');
        await forwardStore.markPending(tx, item.id, upstream.id);
        forward = (await itemStore.get(tx, item.id)).forwards.find((f) => f.upstreamId === upstream.id)!;
      }
      await this.link(tx, item.id, forward, upstream, record, { actorId: who.userId, summary: `${who.username} linked the forward to ${upstream.name} to ${recordName(record)}` });
      return (await itemStore.get(tx, item.id)).forwards.find((f) => f.id === forward.id)!;
    });
    this.queue.wakeChecks();
    return linked;
  }

  /**
   * Links a forward in the caller's transaction (a Debian acknowledgement, a webhook's answer):
   * the forward, its FORWARDED state when it was not yet, the timeline, and the first check.
   */
  async link(tx: SqlRunner, itemId: number, forward: Pick<ForwardRecord, 'id' | 'state' | 'url'>, upstream: Upstream, record: UpstreamRecord, event: { actorId: number | null; summary: string }): Promise<void> {
    if (forward.url === record.url) return;
    await watchStore.link(tx, forward.id, record.url);
    await this.writer.touch(tx, itemId);
    await recordEvents(tx, [{ itemId, type: 'UPSTREAM_LINKED', actorId: event.actorId, summary: event.summary, data: { forwardId: forward.id, upstreamId: upstream.id, url: record.url } }]);
    await this.queue.queueCheck(tx, forward.id, upstream.trackerKind);
  }

  /** Reads the forward's linked record now, for someone who may forward the item. */
  async checkUpstreamRecord(actor: Actor | null, forwardId: number): Promise<ForwardRecord> {
    const row = await this.dataSource.transaction(async (tx) => {
      const found = await watchStore.get(tx, forwardId);
      if (!found) throw watchError('FORWARD_NOT_FOUND', `forwardId: no forward has this id`, 'forwardId');
      const item = await itemStore.get(tx, found.itemId);
      authorize(actor, 'item.forward', policyTargetOf(await this.reader.fresh(tx), item));
      if (!found.url) throw watchError('NOT_LINKED', `forwardId: this forward is not linked to an upstream record yet (linkUpstreamRecord)`, 'forwardId');
      return found;
    });
    await this.runCheck(row.id);
    return this.dataSource.transaction(async (tx) => (await itemStore.get(tx, row.itemId)).forwards.find((f) => f.id === row.id)!);
  }

  /**
   * One check of a forward's record (what a scheduled job runs): read it outside any transaction,
   * then write what was found unless the forward was relinked meanwhile, or an outcome read after
   * this check began is written already (a check by hand, or a webhook, begun later and done
   * sooner). `last_checked_at` keeps when the written reading began.
   */
  async runCheck(forwardId: number): Promise<void> {
    const began = new Date();
    const row = await watchStore.get(this.dataSource, forwardId);
    if (!row?.url) return;
    const outcome = await this.read(row);
    await inTransaction(this.dataSource, async (tx) => {
      const current = await watchStore.get(tx, forwardId, true);
      if (!current || current.url !== row.url) return;
      if (current.lastCheckedAt && current.lastCheckedAt > began) return;
      await this.apply(tx, current, outcome, null, began);
    });
  }

  /** Writes a check's or a webhook's outcome (read at `readAt`) on a locked forward, with its timeline event. */
  async apply(tx: SqlRunner, row: WatchRow, outcome: CheckOutcome, actor: string | null, readAt?: Date): Promise<void> {
    const now = new Date();
    const decision = decideAfterCheck(row, outcome, now, this.settings.schedule);
    await watchStore.recordCheck(tx, row.id, decision, readAt ?? now);
    if (!decision.change) return;
    const upstream = (await this.reader.fresh(tx)).upstreams.get(row.upstreamId)!;
    const record = recordOf(row);
    const { previous, reading, stateChanged } = decision.change;
    await this.writer.touch(tx, row.itemId);
    await recordEvents(tx, [{
      itemId: row.itemId,
      type: 'UPSTREAM_STATUS_CHANGED',
      actorId: null,
      summary: statusChangeSummary(record, upstream.name, previous, reading, actor),
      data: { forwardId: row.id, upstreamId: row.upstreamId, url: row.url!, from: previous, to: reading.remoteStatus, state: stateChanged ? reading.state : null },
    }]);
  }

  private async read(row: WatchRow): Promise<CheckOutcome> {
    try {
      return { reading: await this.clients.read(recordOf(row), row.remoteEtag) };
    } catch (e) {
      if (e instanceof TrackerCheckError) return { failure: e };
      if (e instanceof DomainError) {
        return { failure: new TrackerCheckError('refused', row.trackerKind === 'NONE' ? 'the upstream keeps no tracker to read back now (its trackerKind is NONE)' : `the linked URL does not fit the upstream's tracker kind ${row.trackerKind} any more`) };
      }
      this.log.error(`check of forward ${row.id} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
      return { failure: new TrackerCheckError('bad_answer', 'the check failed unexpectedly; see the server log') };
    }
  }
}

/** The record a watched forward is linked to, read with its upstream's tracker kind. */
function recordOf(row: WatchRow): UpstreamRecord {
  return parseRecordUrl(row.trackerKind, row.url!, debbugsOrigin(row));
}

/** The forward a link is for: to the named upstream (one the item affects), or the routed one. */
function forwardTarget(snapshot: CatalogueSnapshot, forwards: readonly ForwardRecord[], routedUpstreamId: number, number: number, upstreamSlug: string | null | undefined): { upstreamId: number; forward: ForwardRecord | undefined } {
  if (upstreamSlug) {
    const upstream = snapshot.upstreamBySlug(upstreamSlug);
    if (!upstream) throw slugNotFound('upstream', upstreamSlug, 'upstreamSlug');
    const forward = forwards.find((f) => f.upstreamId === upstream.id);
    if (!forward && upstream.id !== routedUpstreamId) throw watchError('NOT_AFFECTED', `upstreamSlug: #${number} does not affect ${upstream.name} (alsoAffects adds it)`, 'upstreamSlug');
    return { upstreamId: upstream.id, forward };
  }
  return { upstreamId: routedUpstreamId, forward: forwards.find((f) => f.kind === 'ROUTED') };
}
