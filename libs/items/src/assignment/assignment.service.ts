import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type Grant } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize, can } from '@headwaters/identity';
import type { ItemRecord } from '../item.record';
import { itemStore, policyTargetOf } from '../item-store';
import { itemsError } from '../items.reasons';
import { ItemWriter } from '../writes/item-writer';

/**
 * Who works on an item. Its maintainers (of the upstream it is routed to, or of its component)
 * and admins assign it to anyone who maintains it (themselves included: a maintainer takes an
 * item), or unassign it; each change is an ASSIGNED event.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
  ) {}

  /** Assigns the item to `username`, or unassigns it when null. The same assignee again changes nothing. */
  assign(actor: Actor | null, itemId: number, username: string | null): Promise<ItemRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const target = policyTargetOf(await this.reader.fresh(tx), item);
      const who = authorize(actor, 'item.assign', target);
      let assignee: { id: number; username: string } | null = null;
      if (username !== null) {
        const [user] = await tx.query<{ id: number; username: string; grants: Grant[] }[]>(
          `SELECT u.id, u.username,
                  coalesce(json_agg(json_build_object('role', g.role, 'upstreamId', g.upstream_id, 'componentId', g.component_id)) FILTER (WHERE g.id IS NOT NULL), '[]') AS grants
             FROM app_user u LEFT JOIN role_grant g ON g.user_id = u.id
            WHERE lower(u.username) = lower($1) GROUP BY u.id`,
          [username],
        );
        if (!user) throw itemsError('USER_NOT_FOUND', `username: no user is called "${username}"`, 'username');
        if (!can({ userId: user.id, username: user.username, grants: user.grants }, 'item.triage', target)) {
          throw itemsError('NOT_A_MAINTAINER', `username: ${user.username} does not maintain #${item.number}; assign one of its maintainers`, 'username');
        }
        assignee = { id: user.id, username: user.username };
      }
      if ((assignee?.id ?? null) === item.assigneeId) return item;
      await this.writer.setAssignee(tx, itemId, assignee?.id ?? null);
      const summary = !assignee
        ? `${who.username} unassigned it`
        : assignee.id === who.userId
          ? `${who.username} took it`
          : `${who.username} assigned it to ${assignee.username}`;
      await recordEvents(tx, [{ itemId, type: 'ASSIGNED', actorId: who.userId, summary, data: { from: item.assigneeId, to: assignee?.id ?? null } }]);
      return itemStore.get(tx, itemId);
    });
  }
}
