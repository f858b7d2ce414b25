import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { Actor } from '@headwaters/core';
import { outsideQueryScope } from '@headwaters/database';
import { AccountStatusService } from '@headwaters/identity';
import { NoticeAuthorizer } from './notice-authorizer';
import { recordSkips, type NoticeSkip } from './checks/notice-skips';

/**
 * The PostgreSQL channel every instance listens on; a payload is comma-separated event ids. The
 * timeline announces what it records on it, by a trigger (migrations TimelineAnnounces and
 * AnnounceAfterCommit): the app's transactions right after their commit, on their connection.
 */
export const LIVE_CHANNEL = 'headwaters_events';

/** A live event as listeners receive it: its ids, read back from the database. */
export interface LiveEvent {
  id: number;
  itemId: number;
  /** The listener as they are now (their grants when the event was given to them); null: anonymous. */
  viewer?: Actor | null;
}

interface Listener {
  actor: Actor | null;
  itemId: number | null;
  push(event: LiveEvent): void;
}

/**
 * Live timeline events shared by every instance through PostgreSQL: the ids of the events a
 * transaction recorded are sent with `pg_notify` once it has committed (kept by the timeline's
 * trigger until then, so nothing is announced that did not commit), and each instance LISTENs,
 * reads the events back and gives each to those of its listeners who may see the item. No other
 * broker.
 */
@Injectable()
export class LiveEventsService implements OnModuleDestroy {
  private readonly log = new Logger('LiveEvents');
  private readonly listeners = new Set<Listener>();
  private client?: Client;
  private connecting?: Promise<void>;
  private closed = false;
  /**
   * Notifications are dispatched one after the other, in the order they arrive: each reads its
   * events back, and two read at once could reach listeners the other way round. A transaction's
   * announcement leaves its connection as soon as its commit has returned; a later transaction on
   * the same item waited for the earlier one's row locks, then ran and committed, so its
   * announcement comes after.
   */
  private dispatching: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: NoticeAuthorizer,
    private readonly accounts: AccountStatusService,
  ) {}

  /**
   * Listens for events of one item (or of every item, with null) that `actor` may see. Resolves
   * once this instance is listening, so no event committed afterwards is missed. Returns the
   * function that stops listening.
   */
  async listen(actor: Actor | null, itemId: number | null, push: (event: LiveEvent) => void): Promise<() => void> {
    const listener: Listener = { actor, itemId, push };
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    // The first subscriber's request opens the shared connection; its events must not answer to
    // that request's scope (refused once it has gone, for every later subscriber).
    this.connecting ??= outsideQueryScope(async () => {
      const url = (this.dataSource.options as { url?: string }).url;
      const client = new Client({ connectionString: url, application_name: 'headwaters-live' });
      client.on('notification', (message) => {
        if (message.channel !== LIVE_CHANNEL || !message.payload) return;
        const payload = message.payload;
        this.dispatching = this.dispatching.then(() => this.dispatch(payload)).catch(() => undefined);
      });
      client.on('error', (error) => {
        this.log.warn(`live events connection lost: ${error.message}`);
        this.reconnect(client);
      });
      client.on('end', () => this.reconnect(client));
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      this.client = client;
    }).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private reconnect(lost: Client): void {
    if (this.client !== lost) return;
    this.client = undefined;
    if (this.closed || this.listeners.size === 0) return;
    setTimeout(() => void this.connect().catch((error: Error) => this.log.warn(`live events reconnect failed: ${error.message}`)), 1000).unref();
  }

  private async dispatch(payload: string): Promise<void> {
    if (this.listeners.size === 0) return;
    const ids = payload.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
    try {
      const events = await this.dataSource.query<LiveEvent[]>(`SELECT id, item_id AS "itemId" FROM timeline_event WHERE id = ANY($1) ORDER BY id`, [ids]);
      if (events.length === 0) return;
      const eventIds = events.map((e) => e.id);
      // Each listener as they are now (a role lost, an account deactivated since they connected),
      // and one visibility check per distinct viewer, not per listener.
      const listeners = [...this.listeners];
      const userIds = [...new Set(listeners.map((l) => l.actor?.userId).filter((id): id is number => id !== undefined))];
      const now = await this.accounts.currentActors(this.dataSource, userIds);
      const current = new Map(userIds.map((id, i) => [id, now[i]] as const));
      const verdicts = new Map<number | null, Promise<Map<number, 'ITEM_HIDDEN' | 'NAMES_HIDDEN_ITEM' | null>>>();
      const skips: NoticeSkip[] = [];
      for (const listener of listeners) {
        const wanted = events.filter((e) => listener.itemId === null || e.itemId === listener.itemId);
        if (wanted.length === 0) continue;
        const userId = listener.actor?.userId ?? null;
        const actor = userId === null ? null : current.get(userId)!;
        if (userId !== null && actor === null) {
          for (const event of wanted) skips.push({ channel: 'LIVE', reason: 'ACCOUNT_DEACTIVATED', eventId: event.id, itemId: event.itemId, userId });
          continue;
        }
        if (!verdicts.has(userId)) verdicts.set(userId, this.visibility.eventVerdicts(this.dataSource, actor, eventIds));
        const verdict = await verdicts.get(userId)!;
        for (const event of wanted) {
          const reason = verdict.get(event.id) ?? null;
          if (reason === null) {
            if (this.listeners.has(listener)) listener.push({ ...event, viewer: actor });
          } else if (listener.itemId !== null) {
            // Someone listening to this very item, who may no longer see it (or what the event names).
            skips.push({ channel: 'LIVE', reason, eventId: event.id, itemId: event.itemId, userId });
          }
        }
      }
      await recordSkips(this.dataSource, skips);
    } catch (error) {
      this.log.warn(`live events dispatch failed: ${(error as Error).message}`);
    }
  }
}
