import { connectionOf } from './connection';
import { decodeCursor } from './cursor';

interface Row {
  id: number;
  title: string;
}

const rows: Row[] = [
  { id: 7, title: 'seven' },
  { id: 5, title: 'five' },
  { id: 2, title: 'two' },
];
const forward = { limit: 3, direction: 'forward' as const, after: null };

function page(slice = { rows, hasMore: true }, query: Parameters<typeof connectionOf>[1] = forward) {
  const keyOf = jest.fn((row: Row) => [row.title, row.id]);
  const count = jest.fn(async () => 42);
  const connection = connectionOf(slice, query, 'TITLE', keyOf, (row) => ({ number: row.id }), count);
  return { connection, keyOf, count };
}

describe('connectionOf', () => {
  it('gives the nodes at once, and the cursors, edges and total only when read, each once', async () => {
    const { connection, keyOf, count } = page();
    expect(connection.nodes).toEqual([{ number: 7 }, { number: 5 }, { number: 2 }]);
    expect(keyOf).not.toHaveBeenCalled();
    expect(count).not.toHaveBeenCalled();

    expect(decodeCursor(connection.pageInfo.endCursor!, 'TITLE', ['string', 'int'], 'after')).toEqual(['two', 2]);
    expect(decodeCursor(connection.pageInfo.startCursor!, 'TITLE', ['string', 'int'], 'after')).toEqual(['seven', 7]);
    expect(keyOf).toHaveBeenCalledTimes(2);

    const edges = connection.edges;
    expect(connection.edges).toBe(edges);
    expect(edges.map((edge) => edge.node)).toEqual(connection.nodes);
    expect(edges[2].cursor).toBe(connection.pageInfo.endCursor);
    expect(decodeCursor(edges[1].cursor, 'TITLE', ['string', 'int'], 'after')).toEqual(['five', 5]);
    // The first and last cursors were made already; only the middle one is new.
    expect(keyOf).toHaveBeenCalledTimes(3);

    expect(await connection.totalCount).toBe(42);
    expect(await connection.totalCount).toBe(42);
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('says where the page stands: forward, backward, and empty', () => {
    expect(page().connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page({ rows, hasMore: false }, { ...forward, after: ['eight', 8] }).connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(page({ rows, hasMore: true }, { limit: 3, direction: 'backward', after: ['one', 1] }).connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const empty = page({ rows: [], hasMore: false }).connection;
    expect(empty.pageInfo).toMatchObject({ startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false });
    expect(empty.edges).toEqual([]);
  });

  it('keeps its lazy fields on the prototype, not as getters of each object (which the young generation would keep alive)', () => {
    const { connection } = page();
    for (const target of [connection, connection.pageInfo]) {
      const own = Object.getOwnPropertyNames(target).map((name) => Object.getOwnPropertyDescriptor(target, name)!);
      expect(own.filter((descriptor) => descriptor.get || descriptor.set)).toEqual([]);
    }
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(connection), 'edges')?.get).toBeInstanceOf(Function);
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(connection.pageInfo), 'endCursor')?.get).toBeInstanceOf(Function);
  });
});
