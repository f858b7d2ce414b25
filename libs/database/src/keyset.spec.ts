import { keysetSql, sliceOf, type PageQuery } from './keyset';

describe('keyset pages', () => {
  it('start from the beginning without a cursor, fetching one row more than asked', () => {
    const params: unknown[] = [];
    const sql = keysetSql(['i.vote_count', 'i.id'], 'DESC', { limit: 25, direction: 'forward', after: null }, params);
    expect(sql).toEqual({ where: 'TRUE', orderBy: 'i.vote_count DESC, i.id DESC', limit: '$1' });
    expect(params).toEqual([26]);
  });

  it('continue after a cursor with a row comparison in the reading direction', () => {
    const params: unknown[] = ['x'];
    const sql = keysetSql(['i.vote_count', 'i.id'], 'DESC', { limit: 10, direction: 'forward', after: [5, 99] }, params);
    expect(sql.where).toBe('(i.vote_count, i.id) < ($2, $3)');
    expect(params).toEqual(['x', 5, 99, 11]);
  });

  it('read backwards from a `before` cursor in the opposite order', () => {
    const params: unknown[] = [];
    const sql = keysetSql(['i.id'], 'ASC', { limit: 3, direction: 'backward', after: [10] }, params);
    expect(sql).toEqual({ where: '(i.id) < ($1)', orderBy: 'i.id DESC', limit: '$2' });
  });

  it('trim the extra row and put a backward page back in list order', () => {
    const forward: PageQuery = { limit: 2, direction: 'forward', after: null };
    expect(sliceOf([1, 2, 3], forward)).toEqual({ rows: [1, 2], hasMore: true });
    expect(sliceOf([1, 2], forward)).toEqual({ rows: [1, 2], hasMore: false });
    const backward: PageQuery = { limit: 2, direction: 'backward', after: [9] };
    expect(sliceOf([8, 7, 6], backward)).toEqual({ rows: [7, 8], hasMore: true });
  });
});
