import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { MAX_COMMENT_LENGTH } from '../comment-writer';
import { COMMENT_COLUMNS, type CommentRecord } from '../item-query.service';
import { itemStore, policyTargetOf } from '../item-store';
import { itemsError } from '../items.reasons';
import { ItemVisibility } from '../visibility/item-visibility';
import { ItemWriter } from '../writes/item-writer';

/**
 * Moderation of comments: their author edits them (the text before is kept in a COMMENT_EDITED
 * event, which maintainers read), maintainers of the item and admins hide them (spam, abuse) and
 * show them again. A hidden comment leaves the item's search text.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
  ) {}

  editComment(actor: Actor | null, commentId: number, body: string): Promise<CommentRecord> {
    const text = body.trim();
    if (text.length < 1 || text.length > MAX_COMMENT_LENGTH) throw itemsError('INVALID_COMMENT', `body must be 1 to ${MAX_COMMENT_LENGTH} characters`, 'body');
    return inTransaction(this.dataSource, async (tx) => {
      const comment = await this.lockVisible(tx, actor, commentId);
      const editor = authorize(actor, 'comment.edit', { authorId: comment.authorId });
      if (comment.body === text) return comment;
      await tx.query(`UPDATE comment SET body = $2, edited_at = now() WHERE id = $1`, [commentId, text]);
      await this.writer.refreshCommentSearch(tx, comment.itemId);
      await recordEvents(tx, [
        { itemId: comment.itemId, type: 'COMMENT_EDITED', actorId: editor.userId, summary: `${editor.username} edited a comment`, data: { commentId, previous: comment.body } },
      ]);
      return this.read(tx, commentId);
    });
  }

  hideComment(actor: Actor | null, commentId: number, hidden: boolean, reason: string | null): Promise<CommentRecord> {
    const why = reason?.trim() || null;
    if (why && why.length > 500) throw itemsError('INVALID_REASON', 'reason must be at most 500 characters', 'reason');
    return inTransaction(this.dataSource, async (tx) => {
      const comment = await this.lockVisible(tx, actor, commentId);
      const item = await itemStore.lockOne(tx, comment.itemId);
      const moderator = authorize(actor, 'comment.hide', policyTargetOf(await this.reader.fresh(tx), item));
      if (comment.hidden === hidden) return comment;
      await tx.query(`UPDATE comment SET hidden = $2, hidden_by_id = $3, hidden_reason = $4 WHERE id = $1`, [commentId, hidden, hidden ? moderator.userId : null, hidden ? why : null]);
      await this.writer.refreshCommentSearch(tx, comment.itemId);
      await recordEvents(tx, [
        hidden
          ? { itemId: comment.itemId, type: 'COMMENT_HIDDEN', actorId: moderator.userId, summary: `${moderator.username} hid a comment${why ? `: ${why}` : ''}`, data: { commentId, reason: why } }
          : { itemId: comment.itemId, type: 'COMMENT_UNHIDDEN', actorId: moderator.userId, summary: `${moderator.username} showed a hidden comment again`, data: { commentId } },
      ]);
      return this.read(tx, commentId);
    });
  }

  /** The comment, locked, if it exists and its item is one the actor may see; NOT_FOUND otherwise. */
  private async lockVisible(tx: SqlRunner, actor: Actor | null, commentId: number): Promise<CommentRecord> {
    const [comment] = await tx.query<CommentRecord[]>(`SELECT ${COMMENT_COLUMNS} FROM comment c WHERE c.id = $1 FOR UPDATE`, [commentId]);
    const [item] = comment ? await itemStore.byIds(tx, [comment.itemId]) : [null];
    const visibility = actor ? ItemVisibility.of(actor, await this.reader.fresh(tx)) : ItemVisibility.PUBLIC;
    if (!comment || !item || !visibility.allows(item)) throw itemsError('COMMENT_NOT_FOUND', 'commentId names no comment', 'commentId');
    return comment;
  }

  private async read(tx: SqlRunner, commentId: number): Promise<CommentRecord> {
    const [comment] = await tx.query<CommentRecord[]>(`SELECT ${COMMENT_COLUMNS} FROM comment c WHERE c.id = $1`, [commentId]);
    return comment;
  }
}
