import { buildSchema, parse } from 'graphql';
import { checkQueryLimits } from './query-limits';

const schema = buildSchema(`
  type Query { items(first: Int, last: Int): ItemConnection! node(id: ID!): Item nodes(ids: [ID!]!): [Item]! }
  type ItemConnection { nodes: [Item!]! totalCount: Int! }
  type Item { id: ID! title: String! comments(first: Int): CommentConnection! parent: Item }
  type CommentConnection { nodes: [Comment!]! }
  type Comment { body: String! }
`);
const limits = { maxDepth: 6, maxNodes: 1000 };
const check = (query: string, variables?: Record<string, unknown>) => () => checkQueryLimits(schema, parse(query), { body: { variables } }, limits);

describe('query limits', () => {
  it('let a modest query through', () => {
    expect(check('{ items(first: 10) { nodes { id comments(first: 10) { nodes { body } } } } }')).not.toThrow();
  });

  it('refuse a query deeper than the limit', () => {
    expect(check('{ node(id: "1") { parent { parent { parent { parent { parent { parent { id } } } } } } } }')).toThrow(/levels deep/);
  });

  it('count nodes as the product of nested page sizes, literal or from variables', () => {
    expect(check('{ items(first: 100) { nodes { comments(first: 10) { nodes { body } } } } }')).toThrow(/nodes/);
    expect(check('query ($n: Int) { items(first: $n) { nodes { comments(first: $n) { nodes { body } } } } }', { n: 40 })).toThrow(/nodes/);
    expect(check('query ($n: Int) { items(first: $n) { nodes { comments(first: $n) { nodes { body } } } } }', { n: 20 })).not.toThrow();
  });

  it('follow fragments, and do not loop on them', () => {
    const query = `
      { items(first: 100) { ...page } }
      fragment page on ItemConnection { nodes { comments(first: 20) { nodes { body } } } }`;
    expect(check(query)).toThrow(/nodes/);
  });

  it('carry the QUERY_TOO_COMPLEX code', () => {
    try {
      check('{ items(first: 100) { nodes { comments(first: 100) { nodes { body } } } } }')();
      throw new Error('not refused');
    } catch (error) {
      expect((error as { extensions: { code: string } }).extensions.code).toBe('QUERY_TOO_COMPLEX');
    }
  });
});
