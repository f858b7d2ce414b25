import { DomainError } from '@headwaters/core';
import { decodeCursor, encodeCursor } from './cursor';
import { fromGlobalId, parseGlobalId, toGlobalId } from './global-id';

describe('cursors', () => {
  it('round-trip the sort-key values of their ordering', () => {
    const cursor = encodeCursor('votes', [42, 7]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'votes', ['int', 'int'], 'after')).toEqual([42, 7]);
  });

  it.each([
    ['garbage', 'not base64url at all!'],
    ['another ordering', encodeCursor('created', [1, 2])],
    ['the wrong size', encodeCursor('votes', [1])],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['objects inside', Buffer.from(JSON.stringify(['votes', {}, 1])).toString('base64url')],
    ['a string where a number goes', encodeCursor('votes', ['7', 1])],
    ['a number past int4', encodeCursor('votes', [2 ** 40, 1])],
    ['a fraction where an integer goes', encodeCursor('votes', [1.5, 1])],
    ['an id past int4', encodeCursor('votes', [1, 2 ** 31])],
  ])('refuse %s as BAD_USER_INPUT naming the argument', (_, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, 'votes', ['int', 'int'], 'before');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'invalid', field: 'before' });
  });
});

describe('cursor values', () => {
  const created = (value: unknown) => Buffer.from(JSON.stringify(['created', value, 1])).toString('base64url');

  it('take timestamps as PostgreSQL writes them', () => {
    expect(decodeCursor(created('2026-11-25 22:41:25.906899+00'), 'created', ['timestamptz', 'int'], 'after')).toEqual(['2026-11-25 22:41:25.906899+00', 1]);
    expect(decodeCursor(created('2024-02-29 00:00:00+05:30'), 'created', ['timestamptz', 'int'], 'after')).toHaveLength(2);
  });

  it.each(['not-a-date', '2019-02-30 00:00:00+00', '2026-13-01 00:00:00+00', '2026-01-01 25:00:00+00', '275760-09-13 00:00:00+00', '2026-01-01T00:00:00Z', 12])(
    'refuse the timestamp %p',
    (value) => expect(() => decodeCursor(created(value), 'created', ['timestamptz', 'int'], 'after')).toThrow(DomainError),
  );

  it('bound smallints and reals', () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(['x', v])).toString('base64url');
    expect(() => decodeCursor(cursor(40000), 'x', ['smallint'], 'after')).toThrow(DomainError);
    expect(() => decodeCursor(cursor(1e39), 'x', ['real'], 'after')).toThrow(DomainError);
    expect(decodeCursor(cursor(0.25), 'x', ['real'], 'after')).toEqual([0.25]);
    expect(() => decodeCursor(cursor(1), 'x', ['string'], 'after')).toThrow(DomainError);
  });
});

describe('global IDs', () => {
  it('round-trip type and id', () => {
    expect(parseGlobalId(toGlobalId('Upstream', 12))).toEqual({ type: 'Upstream', id: 12 });
    expect(fromGlobalId(toGlobalId('Bug', 3), ['Bug', 'FeatureSuggestion'], 'itemId')).toEqual({ type: 'Bug', id: 3 });
  });

  it.each(['', 'x', toGlobalId('Bug', 0), Buffer.from('Bug:-1').toString('base64url'), Buffer.from('Bug:99999999999').toString('base64url'), 'a'.repeat(300)])(
    'does not decode %p',
    (id) => expect(parseGlobalId(id)).toBeNull(),
  );

  it('refuses an ID of another type, naming the field', () => {
    expect(() => fromGlobalId(toGlobalId('User', 1), ['Bug'], 'itemId')).toThrow(/itemId must be the ID of a Bug, not of a User/);
  });
});
