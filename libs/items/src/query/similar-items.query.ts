import type { SqlRunner } from '@headwaters/core';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import type { ItemVisibility } from '../visibility/item-visibility';

/** How many of the report's words choose the candidates: the rarest ones the tracker knows. */
export const SIMILAR_SELECTIVE_WORDS = 5;
/** How many words choose the candidates at least: a title of fewer known words borrows the description's rarest. */
const MIN_SELECTIVE_WORDS = 3;
/** How many of the words nobody used yet (new identifiers, typos) are looked up besides. */
const UNKNOWN_WORDS = 2;
/** How many of the report's words rank the candidates (title words first). */
const RANKING_WORDS = 8;
/** How many candidates a level of the search takes at most. */
const CANDIDATES_PER_LEVEL = 100;
/** The search stops loosening once a level found this many candidates. */
const ENOUGH_CANDIDATES = 40;

/** One word of the report being written: an 'english' lexeme as search indexes it. */
export interface ReportWord {
  word: string;
  /** Whether the title has it (else only the description's first 2,000 characters). */
  inTitle: boolean;
  /** How many public items filed on a component use it (the component suggestions' counts). */
  uses: number;
}

/** The candidate levels, strictest first, and the ranking query for a report's words, as tsquery texts. */
export interface SimilarPlan {
  levels: string[];
  rank: string | null;
}

const lexeme = (word: string): string => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const all = (words: readonly string[]): string => words.map(lexeme).join(' & ');

/**
 * Which items to look at, most alike first. Ranking every item that shares any word with the
 * report is what made this slow (a common word matches a third of a tracker), so candidates
 * come from the report's most selective words: the five rarest the tracker knows (by the
 * component suggestions' counts; a title word counts as three times rarer than a description
 * word, since the title says what the report is about). The levels loosen step by step: all of
 * them; all but the rarest (in case the reporter's rarest word is not the one the others used);
 * then the rarest four, three, two; then any of the three rarest or of the words nobody used yet
 * (new identifiers, typos). Each level is an AND the search index answers from its rarest word's
 * entries, and the search stops loosening once a level found enough.
 */
export function similarPlan(words: readonly ReportWord[]): SimilarPlan {
  const rarest = (a: ReportWord, b: ReportWord) => a.uses - b.uses || a.word.localeCompare(b.word);
  const titled = words.filter((w) => w.inTitle);
  const described = words.filter((w) => !w.inTitle);
  const known = [...titled.filter((w) => w.uses > 0).sort(rarest), ...described.filter((w) => w.uses > 0).sort(rarest)];
  const unknown = [...titled.filter((w) => w.uses === 0).sort(rarest), ...described.filter((w) => w.uses === 0).sort(rarest)];
  const titleWords = known.filter((w) => w.inTitle).length;
  const picked = known.slice(0, Math.max(Math.min(titleWords, SIMILAR_SELECTIVE_WORDS), Math.min(known.length, MIN_SELECTIVE_WORDS))).map((w) => w.word);
  const fresh = unknown.slice(0, UNKNOWN_WORDS).map((w) => w.word);
  const levels: string[] = [];
  if (picked.length >= 2) levels.push(all(picked));
  if (picked.length >= 3) levels.push(all(picked.slice(1)));
  for (let size = picked.length - 1; size >= 2; size--) levels.push(all(picked.slice(0, size)));
  const single = [...picked.slice(0, 3), ...fresh];
  if (single.length) levels.push(single.map(lexeme).join(' | '));
  const ranking = [...titled.sort(rarest), ...described.sort(rarest)].slice(0, RANKING_WORDS);
  return { levels, rank: ranking.length ? ranking.map((w) => lexeme(w.word)).join(' | ') : null };
}

/**
 * Open items likely to be the same as a report being written, best first. The candidates come
 * from the report's most selective words ({@link similarPlan}); they are ranked by trigram
 * similarity of titles (catches "crash" vs "crashes", typos) plus full-text rank over the
 * report's words (title and description), so wording does not have to match.
 */
export async function similarItems(db: SqlRunner, title: string, description: string | undefined, limit: number, visibility: ItemVisibility): Promise<ItemRecord[]> {
  const words = await db.query<{ word: string; in_title: boolean; uses: number }[]>(
    `SELECT w.word, w.weight = 3 AS in_title, coalesce(sum(cw.items), 0)::int AS uses
       FROM item_words($1, $2) w LEFT JOIN component_word cw ON cw.word = w.word
      GROUP BY w.word, w.weight`,
    [title, description ?? ''],
  );
  const plan = similarPlan(words.map((w) => ({ word: w.word, inTitle: w.in_title, uses: w.uses })));
  if (!plan.levels.length || !plan.rank) return [];
  const params: unknown[] = [title, plan.rank, limit];
  const visible = visibility.sql('i', params);
  const levels = plan.levels.map((level, n) => {
    params.push(level);
    // A level runs only when every stricter one found fewer than enough (a one-time filter: the scan is skipped otherwise).
    const looser = Array.from({ length: n }, (_, m) => `(SELECT count(*) FROM level${m}) < ${ENOUGH_CANDIDATES}`);
    return `level${n} AS MATERIALIZED (
       SELECT i.id FROM item i WHERE ${[...looser, `i.search @@ $${params.length}::tsquery`, 'NOT i.closed', visible].join(' AND ')} LIMIT ${CANDIDATES_PER_LEVEL})`;
  });
  const rows = await db.query<ItemRow[]>(
    `WITH ${levels.join(', ')},
     ranked AS (
       SELECT i.id, similarity(i.title, $1) * 2 + ts_rank_cd(i.search, $2::tsquery, 1) AS score
         FROM (${plan.levels.map((_, n) => `SELECT id FROM level${n}`).join(' UNION ')}) c JOIN item i ON i.id = c.id
        ORDER BY score DESC, i.id DESC
        LIMIT $3)
     SELECT ${ITEM_COLUMNS}
       FROM ranked r JOIN item i ON i.id = r.id
      ORDER BY r.score DESC, i.id DESC`,
    params,
  );
  return rows.map(itemFromRow);
}
