import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { DomainError } from '@headwaters/core';
import { DESCRIPTION_MAX, TITLE_MAX } from '../item-text';
import { scoreComponents, type ComponentTotals, type NameEvidence, type WordEvidence } from './component-scores';

/** At most this many suggestions. */
export const MAX_COMPONENT_SUGGESTIONS = 10;

/** A component suggested for a report being written. */
export interface ComponentSuggestionRecord {
  componentId: number;
  score: number;
  reason: string;
}

/** One row of {@link EVIDENCE_SQL}; which columns are set depends on its kind. */
interface EvidenceRow {
  kind: 'asked' | 'word' | 'name' | 'name-total' | 'total' | 'spelled';
  word: string;
  weight: number;
  component_id: number;
  items: number;
  token: string;
}

/**
 * Everything the scoring needs, in one statement: the report's words (as the learning reads
 * items: `item_words`, the description's first 2,000 characters), what each component learned of
 * them, the active components' names and descriptions, the components' totals, and how the
 * report spelled each word (for reasons). What was learned is the folded tables plus the changes
 * not folded yet (see migration ComponentWordDeltas).
 */
const EVIDENCE_SQL = `
  WITH asked AS MATERIALIZED (SELECT word, weight FROM item_words($1, $2)),
  names AS (
    SELECT c.id AS component_id, w.word, w.weight
      FROM component c, item_words(c.name || ' ' || replace(c.slug, '/', ' ') || ' ' || coalesce(c.package_name, ''), c.description) w
     WHERE c.retired_at IS NULL)
  SELECT 'asked' AS kind, word, weight, NULL::int AS component_id, NULL::int AS items, NULL AS token FROM asked
  UNION ALL
  SELECT 'word', x.word, sum(x.weight)::int, x.component_id, sum(x.items)::int, NULL
    FROM (SELECT cw.word, cw.component_id, cw.items, cw.weight FROM component_word cw WHERE cw.word IN (SELECT word FROM asked)
          UNION ALL
          SELECT d.word, d.component_id, d.items, d.weight FROM component_word_delta d WHERE d.word IN (SELECT word FROM asked)) x
   GROUP BY x.word, x.component_id HAVING sum(x.items) > 0
  UNION ALL
  SELECT 'name', n.word, n.weight, n.component_id, NULL, NULL FROM names n WHERE n.word IN (SELECT word FROM asked)
  UNION ALL
  SELECT 'name-total', NULL, sum(n.weight)::int, n.component_id, NULL, NULL FROM names n GROUP BY n.component_id
  UNION ALL
  SELECT 'total', NULL, sum(s.weight)::int, s.component_id, sum(s.items)::int, NULL
    FROM (SELECT component_id, items, weight FROM component_word_stats UNION ALL SELECT component_id, items, weight FROM component_word_stats_delta) s
   GROUP BY s.component_id
  UNION ALL
  SELECT DISTINCT ON (lexeme) 'spelled', lexeme, NULL, NULL, NULL, lower(d.token)
    FROM ts_debug('english', item_search_words($1 || ' ' || $2)) d, unnest(d.lexemes) AS lexeme
   WHERE lexeme IN (SELECT word FROM asked)`;

/**
 * Suggests the components a report being written probably belongs to, learned from how items
 * were triaged (see migration ComponentWords and {@link scoreComponents}). Only public items are
 * learned from, so no suggestion or reason tells anything of an embargoed report.
 */
@Injectable()
export class ComponentSuggestionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueReader,
  ) {}

  /**
   * Moves what filings and edits appended to the learned words into the tables (see migration
   * ComponentWordDeltas): the worker's job, every few seconds. Returns how many pending rows it moved.
   */
  async foldLearnedWords(): Promise<number> {
    const [{ moved }] = await this.dataSource.query<{ moved: number }[]>(`SELECT component_words_fold() AS moved`);
    return moved;
  }

  async suggest(title: string, description: string | undefined, first: number): Promise<ComponentSuggestionRecord[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_COMPONENT_SUGGESTIONS) {
      throw DomainError.invalid('INVALID_FIRST', `first must be 1 to ${MAX_COMPONENT_SUGGESTIONS}`, 'first');
    }
    if (title.length > TITLE_MAX + 100) throw DomainError.invalid('INVALID_TITLE', `title must be at most ${TITLE_MAX} characters`, 'title');
    if ((description ?? '').length > DESCRIPTION_MAX) throw DomainError.invalid('INVALID_DESCRIPTION', `description must be at most ${DESCRIPTION_MAX} characters`, 'description');
    const text = (description ?? '').slice(0, 2000);
    if (!title.trim() && !text.trim()) return [];
    const [snapshot, rows] = await Promise.all([this.catalogue.snapshot(), this.dataSource.query<EvidenceRow[]>(EVIDENCE_SQL, [title, text])]);
    const asked = new Map<string, number>();
    const words: WordEvidence[] = [];
    const names: NameEvidence[] = [];
    const totals: ComponentTotals[] = [];
    const nameTotals = new Map<number, number>();
    const spelled = new Map<string, string>();
    for (const row of rows) {
      switch (row.kind) {
        case 'asked': asked.set(row.word, row.weight); break;
        case 'word': words.push({ word: row.word, componentId: row.component_id, items: row.items, weight: row.weight }); break;
        case 'name': names.push({ word: row.word, componentId: row.component_id, weight: row.weight }); break;
        case 'name-total': nameTotals.set(row.component_id, row.weight); break;
        case 'total': totals.push({ componentId: row.component_id, items: row.items, weight: row.weight }); break;
        case 'spelled': spelled.set(row.word, row.token); break;
      }
    }
    const components = [...snapshot.components.values()].filter((c) => c.retiredAt === null).map((c) => ({ id: c.id, name: c.name }));
    return scoreComponents({ asked, words, names, nameTotals, totals, components, spelled, limit: first });
  }
}
