/**
 * A page of a keyset-ordered list, as domain services receive it: how many rows, which way,
 * and the sort-key values of the row to start after (null: from the start or the end).
 */
export interface PageQuery {
  limit: number;
  /** `backward` reads from the end (`last`/`before`); rows still come back in list order. */
  direction: 'forward' | 'backward';
  after: readonly (string | number)[] | null;
}

/** A slice of a list plus whether more rows lie beyond it in the direction read. */
export interface PageSlice<T> {
  rows: T[];
  hasMore: boolean;
}

/** The direction a page's rows are read in: the list's order, reversed for a backward page. */
export function readOrderOf(order: 'ASC' | 'DESC', page: Pick<PageQuery, 'direction'>): 'ASC' | 'DESC' {
  return page.direction === 'forward' ? order : order === 'ASC' ? 'DESC' : 'ASC';
}

/**
 * SQL for one keyset page over `keys` (sort expressions, the last one unique, e.g. `i.id`), all
 * sorted `order`. Returns the condition (or `TRUE`), the ORDER BY and the LIMIT, with the cursor's
 * values appended to `params` (cast with `casts`, e.g. `timestamptz`, where a key is not text or
 * integer). Fetches limit + 1 rows so the caller can tell whether more exist.
 */
export function keysetSql(
  keys: readonly string[],
  order: 'ASC' | 'DESC',
  page: PageQuery,
  params: unknown[],
  casts: readonly (string | null)[] = [],
): { where: string; orderBy: string; limit: string } {
  const readOrder = readOrderOf(order, page);
  let where = 'TRUE';
  if (page.after) {
    if (page.after.length !== keys.length) throw new Error('cursor does not fit this ordering');
    const placeholders = page.after.map((value, i) => {
      params.push(value);
      return casts[i] ? `$${params.length}::${casts[i]}` : `$${params.length}`;
    });
    where = `(${keys.join(', ')}) ${readOrder === 'ASC' ? '>' : '<'} (${placeholders.join(', ')})`;
  }
  params.push(page.limit + 1);
  return {
    where,
    orderBy: keys.map((k) => `${k} ${readOrder}`).join(', '),
    limit: `$${params.length}`,
  };
}

/** Trims the extra row fetched by {@link keysetSql} and puts a backward page back in list order. */
export function sliceOf<T>(rows: T[], page: PageQuery): PageSlice<T> {
  const hasMore = rows.length > page.limit;
  const kept = hasMore ? rows.slice(0, page.limit) : rows;
  return { rows: page.direction === 'backward' ? kept.reverse() : kept, hasMore };
}

/**
 * A keyset page over rows already in memory, sorted ascending by `key` (unique): for small
 * lists such as the catalogue, paged the same way as the large ones.
 */
export function sliceInMemory<T>(sorted: readonly T[], page: PageQuery, key: (row: T) => string | number): PageSlice<T> {
  const after = page.after?.[0];
  let rows: T[];
  if (page.direction === 'forward') {
    rows = after === undefined ? [...sorted] : sorted.filter((r) => key(r) > after);
  } else {
    rows = (after === undefined ? [...sorted] : sorted.filter((r) => key(r) < after)).reverse();
  }
  return sliceOf(rows.slice(0, page.limit + 1), page);
}
