import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordEvents, type Actor } from '@headwaters/core';
import { authorize } from '@headwaters/identity';
import { writeComment, type WrittenComment } from '../comment-writer';
import { itemStore } from '../item-store';

/** Comments by signed-in users; a reporter's answer puts their INCOMPLETE item back to NEW. */
@Injectable()
export class CommentService {
  constructor(private readonly dataSource: DataSource) {}

  addComment(actor: Actor | null, itemId: number, body: string): Promise<WrittenComment> {
    const author = authorize(actor, 'item.comment');
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const comment = await writeComment(tx, { itemId, authorId: author.userId, authorName: author.username, body });
      if (item.reporterId === author.userId && item.status === 'INCOMPLETE') {
        // As Launchpad: the reporter answered the question, so the item needs a maintainer's look again.
        await tx.query(`UPDATE item SET status = 'NEW', incomplete_since = NULL, updated_at = now() WHERE id = $1`, [itemId]);
        await recordEvents(tx, [
          { itemId, type: 'STATUS_CHANGED', actorId: author.userId, summary: 'Response received from the reporter: Incomplete → New', data: { from: 'INCOMPLETE', to: 'NEW' } },
        ]);
      }
      return comment;
    });
  }
}
