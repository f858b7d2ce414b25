import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor } from '@headwaters/core';
import { keysetSql, sliceOf, type PageQuery, type PageSlice } from '@headwaters/database';
import { eventNamesKnownSql, recipientMayKnowSql } from './notice-authorizer';
import type { NotificationRecord } from './subscription.records';

/** The notification's event names no item (a duplicate link) the recipient may not know of. */
const eventNamesKnown = `EXISTS (SELECT 1 FROM timeline_event e WHERE e.id = n.event_id AND ${eventNamesKnownSql('e', 'n.user_id')})`;

const COLUMNS = `n.id::int AS id, n.user_id AS "userId", n.item_id AS "itemId", n.event_id AS "eventId", n.reason, n.read_at AS "readAt", n.created_at AS "createdAt"`;

/** At most this many ids per markNotificationsRead. */
export const MARK_READ_MAX = 100;

/** A user's inbox: what happened on what they follow, newest first. */
@Injectable()
export class InboxService {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the user's notifications, newest first; only those of items they may still see. */
  async list(userId: number, unreadOnly: boolean, page: PageQuery): Promise<{ slice: PageSlice<NotificationRecord>; count: () => Promise<number> }> {
    const params: unknown[] = [userId];
    const keyset = keysetSql(['n.id'], 'DESC', page, params);
    const where = `n.user_id = $1 ${unreadOnly ? 'AND n.read_at IS NULL' : ''} AND ${recipientMayKnowSql('i', 'n.user_id')} AND ${eventNamesKnown}`;
    const rows = await this.dataSource.query<NotificationRecord[]>(
      `SELECT ${COLUMNS} FROM notification n JOIN item i ON i.id = n.item_id WHERE ${where} AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      params,
    );
    return {
      slice: sliceOf(rows, page),
      count: async () => (await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM notification n JOIN item i ON i.id = n.item_id WHERE ${where}`, [userId]))[0].n,
    };
  }

  /** How many of the user's notifications are unread. */
  async unreadCount(userId: number): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification n JOIN item i ON i.id = n.item_id WHERE n.user_id = $1 AND n.read_at IS NULL AND ${recipientMayKnowSql('i', 'n.user_id')} AND ${eventNamesKnown}`,
      [userId],
    );
    return row.n;
  }

  /** Marks some of the actor's notifications read (ids of others' are NOT_FOUND), or all of them. */
  async markRead(actor: Actor | null, selection: { ids?: readonly number[] | null; all?: boolean | null }): Promise<number> {
    if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
    if (selection.all) {
      if (selection.ids?.length) throw DomainError.invalid('INVALID_SELECTION', 'give ids or all: true, not both', 'ids');
      const rows = await this.dataSource.query<unknown[]>(`UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`, [actor.userId]);
      return rows.length;
    }
    const ids = [...new Set(selection.ids ?? [])];
    if (ids.length === 0) throw DomainError.invalid('INVALID_SELECTION', 'give the ids of notifications to mark read, or all: true', 'ids');
    if (ids.length > MARK_READ_MAX) throw DomainError.invalid('INVALID_SELECTION', `ids: at most ${MARK_READ_MAX} at once (or all: true)`, 'ids');
    return this.dataSource.transaction(async (tx) => {
      const owned = await tx.query<{ id: number }[]>(`SELECT id::int AS id FROM notification WHERE id = ANY($1::bigint[]) AND user_id = $2 FOR UPDATE`, [ids, actor.userId]);
      if (owned.length !== ids.length) throw DomainError.notFound('NOTIFICATION_NOT_FOUND', 'ids: one of them names no notification of yours', 'ids');
      await tx.query(`UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = ANY($1::bigint[])`, [ids]);
      return ids.length;
    });
  }
}
