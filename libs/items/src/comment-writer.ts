import { recordEvents, type SqlRunner } from '@headwaters/core';
import { itemsError } from './items.reasons';

export const MAX_COMMENT_LENGTH = 50_000;

/** Searchable comment text per item is capped, so a long discussion cannot overflow a tsvector. */
const MAX_COMMENT_LEXEMES = 20_000;

export interface WrittenComment {
  id: number;
  itemId: number;
  authorId: number;
  body: string;
  createdAt: Date;
  editedAt: null;
  hidden: false;
}

/**
 * Adds a comment to an item inside the caller's transaction: the comment row, the item's search
 * text (comments weigh least), `updated_at`, and a COMMENTED timeline event. Rights and the
 * "response received" rule are the caller's.
 */
export async function writeComment(tx: SqlRunner, input: { itemId: number; authorId: number; body: string; authorName: string }): Promise<WrittenComment> {
  const body = input.body.trim();
  if (body.length < 1 || body.length > MAX_COMMENT_LENGTH) {
    throw itemsError('INVALID_COMMENT', `body must be 1 to ${MAX_COMMENT_LENGTH} characters`, 'body');
  }
  const [comment] = await tx.query<{ id: number; created_at: Date }[]>(
    `INSERT INTO comment (item_id, author_id, body) VALUES ($1, $2, $3) RETURNING id, created_at`,
    [input.itemId, input.authorId, body],
  );
  await tx.query(
    `UPDATE item SET updated_at = now(), comment_count = comment_count + 1,
            comments_tsv = CASE WHEN length(comments_tsv) < $3 THEN comments_tsv || to_tsvector('english', item_search_words($2)) ELSE comments_tsv END
      WHERE id = $1`,
    [input.itemId, body, MAX_COMMENT_LEXEMES],
  );
  await recordEvents(tx, [
    { itemId: input.itemId, type: 'COMMENTED', actorId: input.authorId, summary: `${input.authorName} commented`, data: { commentId: comment.id } },
  ]);
  return { id: comment.id, itemId: input.itemId, authorId: input.authorId, body, createdAt: comment.created_at, editedAt: null, hidden: false };
}
