import { DomainError } from '@headwaters/core';
import { decodeCursor, encodeCursor } from './cursor';
import { fromGlobalId, parseGlobalId, toGlobalId } from './global-id';

describe('cursors', () => {
  it('round-trip the sort-key values of their ordering', () => {
    const cursor = encodeCursor('votes', [42, 7]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'votes', 2, 'after')).toEqual([42, 7]);
  });

  it.each([
    ['garbage', 'not base64url at all!'],
    ['another ordering', encodeCursor('created', [1, 2])],
    ['the wrong size', encodeCursor('votes', [1])],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['objects inside', Buffer.from(JSON.stringify(['votes', {}, 1])).toString('base64url')],
  ])('refuse %s as BAD_USER_INPUT naming the argument', (_, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, 'votes', 2, 'before');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ kind: 'invalid', field: 'before' });
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
