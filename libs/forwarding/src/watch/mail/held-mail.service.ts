import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize, can } from '@headwaters/identity';
import { itemStore, policyTargetOf, writeComment } from '@headwaters/items';
import { watchError } from '../watch.reasons';

/** A reply by mail from someone the tracker does not know, waiting for a maintainer. */
export interface HeldMailRecord {
  id: number;
  itemId: number;
  sender: string;
  senderName: string;
  subject: string;
  body: string;
  state: 'HELD' | 'APPROVED' | 'DROPPED';
  receivedAt: Date;
  decidedBy: number | null;
  decidedAt: Date | null;
  commentId: number | null;
}

const COLUMNS = `id, item_id AS "itemId", sender, sender_name AS "senderName", subject, body, state, received_at AS "receivedAt",
  decided_by AS "decidedBy", decided_at AS "decidedAt", comment_id AS "commentId"`;

/** Most held mails listed on one item (the oldest first). */
export const HELD_MAIL_LIST_LIMIT = 50;

/**
 * Moderation of held replies: the item's maintainers (and admins) see them, approve one (it
 * becomes their comment quoting the sender, so the words reach the item with someone answerable
 * for them) or drop it.
 */
@Injectable()
export class HeldMailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  /** The item's held mails for someone who may moderate them; nobody else learns they exist. */
  async heldFor(actor: Actor | null, itemId: number): Promise<HeldMailRecord[]> {
    if (!actor) return [];
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.get(tx, itemId);
      if (!can(actor, 'mail.moderate', policyTargetOf(await this.reader.fresh(tx), item))) return [];
      return tx.query<HeldMailRecord[]>(`SELECT ${COLUMNS} FROM held_mail WHERE item_id = $1 AND state = 'HELD' ORDER BY id LIMIT $2`, [itemId, HELD_MAIL_LIST_LIMIT]);
    });
  }

  approve(actor: Actor | null, heldMailId: number): Promise<HeldMailRecord> {
    return this.decide(actor, heldMailId, async (tx, held, who) => {
      const sender = held.senderName ? `${held.senderName} <${held.sender}>` : held.sender;
      const comment = await writeComment(tx, { itemId: held.itemId, authorId: who.userId, authorName: who.username, body: `${sender} wrote by mail:\n\n${held.body}` });
      return { state: 'APPROVED', commentId: comment.id };
    });
  }

  drop(actor: Actor | null, heldMailId: number): Promise<HeldMailRecord> {
    return this.decide(actor, heldMailId, async () => ({ state: 'DROPPED', commentId: null }));
  }

  private decide(actor: Actor | null, heldMailId: number, act: (tx: SqlRunner, held: HeldMailRecord, who: Actor) => Promise<{ state: 'APPROVED' | 'DROPPED'; commentId: number | null }>): Promise<HeldMailRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const [held] = await tx.query<HeldMailRecord[]>(`SELECT ${COLUMNS} FROM held_mail WHERE id = $1 FOR UPDATE`, [heldMailId]);
      if (!held) throw watchError('HELD_MAIL_NOT_FOUND', 'heldMailId: no held mail has this id', 'heldMailId');
      const item = await itemStore.lockOne(tx, held.itemId);
      const who = authorize(actor, 'mail.moderate', policyTargetOf(await this.reader.fresh(tx), item));
      if (held.state !== 'HELD') throw watchError('HELD_MAIL_DECIDED', `heldMailId: this mail was already ${held.state.toLowerCase()}`, 'heldMailId');
      const { state, commentId } = await act(tx, held, who);
      const [after] = await tx.query<HeldMailRecord[]>(
        `WITH decided AS (UPDATE held_mail SET state = $2, comment_id = $3, decided_by = $4, decided_at = now() WHERE id = $1 RETURNING *)
         SELECT ${COLUMNS} FROM decided`,
        [held.id, state, commentId, who.userId],
      );
      return after;
    });
  }
}
