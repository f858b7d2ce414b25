import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { inTransaction, prepared } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { itemStore, ItemWriter, type ItemRecord } from '@headwaters/items';
import { votingError } from './voting.reasons';

/**
 * Votes, one per user per item. A vote stays on the item it was cast on; an item's `vote_count`
 * is the number of distinct people whose vote counts there: on an original, its own voters and
 * its duplicates' (each person once); on a duplicate, its own. Every change of a group holds its
 * original's row lock, which is what keeps the distinct counts exact under concurrent votes. The
 * item and its original are locked in one statement, in id order, as duplicates' use cases lock
 * them (see DuplicateService), so votes and markings cannot deadlock.
 */
@Injectable()
export class VotingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: ItemWriter,
  ) {}

  /**
   * Votes; voting again changes nothing. On a duplicate, the vote counts on its original too.
   * `admit` is asked first about the item as locked (the caller's visibility rule: it throws to
   * refuse). Returns the item as it is after the vote.
   */
  vote(actor: Actor | null, itemId: number, admit: Admission = () => undefined): Promise<ItemRecord> {
    const voter = authorize(actor, 'item.vote');
    return inTransaction(this.dataSource, async (tx) => {
      const { item, root } = await lockGroup(tx, itemId);
      admit(item);
      if (item.closed && item.status !== 'DUPLICATE') {
        throw votingError('ITEM_CLOSED', `#${item.number} is closed (${item.status}): votes are for open items`, 'itemId');
      }
      if (root.id !== item.id && root.closed) {
        throw votingError('ORIGINAL_CLOSED', `#${item.number} is a duplicate of #${root.number}, which is closed (${root.status})`, 'itemId');
      }
      // The vote, and whether the person has another in the group that already counts them on the original.
      const [{ changed, other }] = await tx.query<{ changed: boolean; other: boolean }[]>(
        CAST_VOTE_SQL,
        [item.id, voter.userId, root.id],
      );
      if (!changed) return item;
      const now = await this.adjust(tx, item, root, other, +1);
      await recordEvents(tx, [{ itemId: item.id, type: 'VOTED', actorId: voter.userId, summary: `${voter.username} voted for this` }]);
      return now;
    });
  }

  /** Takes a vote back; without a vote, changes nothing. `admit` as for {@link vote}; returns the item as it is after. */
  unvote(actor: Actor | null, itemId: number, admit: Admission = () => undefined): Promise<ItemRecord> {
    const voter = authorize(actor, 'item.vote');
    return inTransaction(this.dataSource, async (tx) => {
      const { item, root } = await lockGroup(tx, itemId);
      admit(item);
      const [{ changed, other }] = await tx.query<{ changed: boolean; other: boolean }[]>(
        TAKE_BACK_SQL,
        [item.id, voter.userId, root.id],
      );
      if (!changed) return item;
      const now = await this.adjust(tx, item, root, other, -1);
      await recordEvents(tx, [{ itemId: item.id, type: 'UNVOTED', actorId: voter.userId, summary: `${voter.username} took their vote back` }]);
      return now;
    });
  }

  /** For each item, whether the user's vote counts there (on it, or for an original, on one of its duplicates). */
  async hasVoted(userId: number, itemIds: readonly number[]): Promise<boolean[]> {
    const rows = await this.dataSource.query<{ id: number }[]>(
      `SELECT i.id FROM item i
        WHERE i.id = ANY($2)
          AND EXISTS (SELECT 1 FROM vote v WHERE v.user_id = $1
                         AND (v.item_id = i.id OR (i.duplicate_of_id IS NULL AND v.item_id IN (SELECT d.id FROM item d WHERE d.duplicate_of_id = i.id))))`,
      [userId, itemIds],
    );
    const voted = new Set(rows.map((r) => r.id));
    return itemIds.map((id) => voted.has(id));
  }

  /**
   * Counts the vote just added (+1) or removed (-1) where it counts, once per person: `other`
   * says whether the person has another vote in the group that already counts them on the
   * original. Returns the item as it is now.
   */
  private async adjust(tx: SqlRunner, item: ItemRecord, root: ItemRecord, other: boolean, delta: 1 | -1): Promise<ItemRecord> {
    if (item.id === root.id && other) return item;
    const changed = await this.writer.addVotes(tx, item.id === root.id || other ? [item.id] : [item.id, root.id], delta);
    return changed.find((r) => r.id === item.id) ?? item;
  }
}

/** Asked about the item a vote names, as locked; throws to refuse (NOT_FOUND for an item the viewer may not see). */
export type Admission = (item: ItemRecord) => void;

/**
 * Whether user $2 has a vote in the group of original $3 other than on item $1. Read in the
 * statement that casts or takes back the vote on $1, whose change it does not see (nor needs to).
 */
const OTHER_VOTE_SQL = `EXISTS (SELECT 1 FROM vote v JOIN item g ON g.id = v.item_id
                          WHERE v.user_id = $2 AND v.item_id <> $1 AND (g.id = $3 OR g.duplicate_of_id = $3))`;

/** Casts user $2's vote on item $1 (original $3): whether it changed anything, and {@link OTHER_VOTE_SQL}. */
const CAST_VOTE_SQL = prepared(`
  WITH cast_vote AS (INSERT INTO vote (item_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING item_id)
  SELECT EXISTS (SELECT 1 FROM cast_vote) AS changed, ${OTHER_VOTE_SQL} AS other`);

/** Takes user $2's vote on item $1 (original $3) back: whether there was one, and {@link OTHER_VOTE_SQL}. */
const TAKE_BACK_SQL = prepared(`
  WITH taken_back AS (DELETE FROM vote WHERE item_id = $1 AND user_id = $2 RETURNING item_id)
  SELECT EXISTS (SELECT 1 FROM taken_back) AS changed, ${OTHER_VOTE_SQL} AS other`);

/**
 * Locks an item and its original, in one statement in id order. If the item was marked or
 * unmarked as a duplicate between the statement's snapshot and the lock, the attempt is run
 * again (a lock taken now on another original would be out of order).
 */
async function lockGroup(tx: SqlRunner, itemId: number): Promise<{ item: ItemRecord; root: ItemRecord }> {
  const { item, original } = await itemStore.lockWithOriginal(tx, itemId);
  if (original) return { item, root: original };
  throw DomainError.busy('BUSY', 'The item changed while voting; try again', 'itemId');
}
