import { Injectable } from '@nestjs/common';
import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { SqlRunner } from '@headwaters/core';
import type { ItemStatus } from '../item.record';

/** One item whose route changed, and where it goes now. */
export interface RouteChange {
  itemId: number;
  upstreamId: number;
}

/** A maintainer's triage of one item, done: the status it has now and who did it. */
export interface TriageDone {
  itemId: number;
  status: ItemStatus;
  actorId: number;
}

/** Told, inside the transaction, of items re-routed; the catalogue as the transaction sees it. */
export type RoutedListener = (tx: SqlRunner, changes: readonly RouteChange[], snapshot: CatalogueSnapshot) => Promise<void>;

/** Told, inside the transaction, that a maintainer triaged an item. */
export type TriagedListener = (tx: SqlRunner, done: TriageDone, snapshot: CatalogueSnapshot) => Promise<void>;

/**
 * What happens to items, for the libraries above items that keep records of their own (as the
 * catalogue's onOwnershipChange does for routing): forwarding keeps a pending forward pointed at
 * the item's upstream when it is re-routed, and records a forward as needed after a triage.
 * Listeners run in the transaction of the change; a listener's failure fails the change.
 */
@Injectable()
export class ItemEvents {
  private readonly routedListeners: RoutedListener[] = [];
  private readonly triagedListeners: TriagedListener[] = [];

  onRouted(listener: RoutedListener): void {
    this.routedListeners.push(listener);
  }

  onTriaged(listener: TriagedListener): void {
    this.triagedListeners.push(listener);
  }

  /** Called by items' route writes. */
  async routed(tx: SqlRunner, changes: readonly RouteChange[], snapshot: CatalogueSnapshot): Promise<void> {
    if (changes.length === 0) return;
    for (const listener of this.routedListeners) await listener(tx, changes, snapshot);
  }

  /** Called by the triage use case once its changes are written. */
  async triaged(tx: SqlRunner, done: TriageDone, snapshot: CatalogueSnapshot): Promise<void> {
    for (const listener of this.triagedListeners) await listener(tx, done, snapshot);
  }
}
