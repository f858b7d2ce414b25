import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor } from '@headwaters/core';
import { NoticeAuthorizer } from './notice-authorizer';
import type { SubscriptionState, SubscriptionTarget, SubscriptionTargetKind } from './subscription.records';

/**
 * Following: a user's explicit state on an item, a component or an upstream. No row is the
 * default: told only when taking part (and, for maintainers, of new items routed to them).
 */
@Injectable()
export class SubscriptionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly visibility: NoticeAuthorizer,
  ) {}

  /** Sets the actor's state on the target. A target that does not exist (or they may not see) is NOT_FOUND. */
  async update(actor: Actor | null, target: SubscriptionTarget, state: SubscriptionState): Promise<void> {
    if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.exists(tx, actor, target))) {
        throw DomainError.notFound('SUBSCRIBABLE_NOT_FOUND', 'subscribableId names nothing that can be followed', 'subscribableId');
      }
      await tx.query(
        `INSERT INTO subscription (user_id, target_kind, target_id, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, target_kind, target_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [actor.userId, target.kind, target.id, state],
      );
    });
  }

  /** Sets an item to IGNORED for a user who followed a signed unsubscribe link (no sign-in). */
  async ignoreByLink(userId: number, itemId: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO subscription (user_id, target_kind, target_id, state)
       SELECT $1, 'ITEM', $2, 'IGNORED' WHERE EXISTS (SELECT 1 FROM app_user WHERE id = $1) AND EXISTS (SELECT 1 FROM item WHERE id = $2)
       ON CONFLICT (user_id, target_kind, target_id) DO UPDATE SET state = 'IGNORED', updated_at = now()`,
      [userId, itemId],
    );
  }

  /**
   * The user's explicit states on targets of one kind, in key order (null: never set). Batched
   * for a page of items or the catalogue.
   */
  async statesOf(userId: number, kind: SubscriptionTargetKind, ids: readonly number[]): Promise<(SubscriptionState | null)[]> {
    const rows = await this.dataSource.query<{ target_id: number; state: SubscriptionState }[]>(
      `SELECT target_id, state FROM subscription WHERE user_id = $1 AND target_kind = $2 AND target_id = ANY($3)`,
      [userId, kind, ids],
    );
    const byId = new Map(rows.map((r) => [r.target_id, r.state]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async exists(tx: { query: DataSource['query'] }, actor: Actor, target: SubscriptionTarget): Promise<boolean> {
    switch (target.kind) {
      case 'ITEM':
        return this.visibility.canSee(tx, actor, target.id);
      case 'COMPONENT':
        return (await tx.query<unknown[]>(`SELECT 1 FROM component WHERE id = $1`, [target.id])).length > 0;
      case 'UPSTREAM':
        return (await tx.query<unknown[]>(`SELECT 1 FROM upstream WHERE id = $1`, [target.id])).length > 0;
    }
  }
}
