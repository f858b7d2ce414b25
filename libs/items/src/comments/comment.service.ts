import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { writeComment, type WrittenComment } from '../comment-writer';
import { itemStore } from '../item-store';
import { describeTransition } from '../workflow/status-rules';
import { ItemWriter } from '../writes/item-writer';

/** Comments by signed-in users; a reporter's answer puts their INCOMPLETE item back to NEW. */
@Injectable()
export class CommentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: ItemWriter,
  ) {}

  addComment(actor: Actor | null, itemId: number, body: string): Promise<WrittenComment> {
    const author = authorize(actor, 'item.comment');
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const comment = await writeComment(tx, { itemId, authorId: author.userId, authorName: author.username, body });
      if (item.reporterId === author.userId && item.status === 'INCOMPLETE') {
        // As Launchpad: the reporter answered the question, so the item needs a maintainer's look again.
        await this.writer.setStatus(tx, item, 'NEW', {
          by: 'response',
          events: [{ itemId, type: 'STATUS_CHANGED', actorId: author.userId, summary: `Response received from the reporter: ${describeTransition(item.status, 'NEW')}`, data: { from: item.status, to: 'NEW' } }],
        });
      }
      return comment;
    });
  }
}
