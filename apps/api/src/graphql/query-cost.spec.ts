import { buildSchema, parse } from 'graphql';
import { checkDocumentLimits, queryCost } from './query-cost';

const schema = buildSchema(`
  type Query { items(first: Int, last: Int, filter: Filter): ItemConnection! search(query: String!, first: Int): ItemConnection! node(id: ID!): Item nodes(ids: [ID!]!): [Item]! similarItems(title: String!, first: Int): [Item!]! }
  type Mutation { vote(id: ID!): Item }
  input Filter { text: String }
  type ItemConnection { nodes: [Item!]! edges: [ItemEdge!]! totalCount: Int! }
  type ItemEdge { cursor: String! node: Item! }
  type Item { id: ID! title: String! comments(first: Int): CommentConnection! parent: Item }
  type CommentConnection { nodes: [Comment!]! totalCount: Int! }
  type Comment { body: String! }
`);
const cost = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), undefined, variables).cost;

describe('the cost of a query', () => {
  it('is at least 1, and 1 per root field', () => {
    expect(cost('{ __typename }')).toBe(1);
    expect(cost('{ node(id: "x") { id title } }')).toBe(1);
    expect(cost('{ a: node(id: "x") { id } b: node(id: "y") { id } }')).toBe(2);
  });

  it('multiplies what is under a connection by its page size, from literals or variables', () => {
    // items 1 + 10 items read x 0.1 + 10 items x comments 1
    expect(cost('{ items(first: 10) { nodes { comments(first: 5) { nodes { body } } } } }')).toBe(12);
    expect(cost('query ($n: Int) { items(first: $n) { edges { node { comments { nodes { body } } } } } }', { n: 30 })).toBe(34);
    // Pages past 100 are refused by validation; they cost as 100.
    expect(cost('{ items(first: 100000) { nodes { comments { totalCount } } } }')).toBe(1 + 10 + 100 * 2);
  });

  it('charges searches, counts of items, similarity and introspection for their work', () => {
    // A search ranks (10) and reads its page of 20 items (20 x 0.1).
    expect(cost('{ search(query: "x") { nodes { id } } }')).toBe(12);
    expect(cost('{ items(filter: { text: "x" }) { nodes { id } } }')).toBe(12);
    expect(cost('{ items(first: 1) { nodes { id } } }')).toBe(2);
    expect(cost('{ items { totalCount } }')).toBe(1 + 2 + 250);
    expect(cost('{ similarItems(title: "x") { id } }')).toBe(25);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(150);
    expect(cost('mutation { vote(id: "x") { id } }')).toBe(10);
  });

  it('costs each fragment once however often it is spread: 7 levels of 10 spreads are linear', () => {
    const levels = 7;
    let document = 'fragment f0 on Item { id title }\n';
    for (let level = 1; level <= levels; level++) {
      document += `fragment f${level} on Item { ${Array.from({ length: 10 }, () => `...f${level - 1}`).join(' ')} }\n`;
    }
    document += `{ node(id: "x") { ...f${levels} } }`;
    // Expanded, the tree has 10^7 spreads; costed with memoized fragments, it is one node.
    expect(queryCost(schema, parse(document), undefined, {})).toEqual({ cost: 1, depth: 2 });
    const counting = document.replace('fragment f0 on Item { id title }', 'fragment f0 on Item { comments(first: 1) { totalCount } }');
    expect(cost(counting)).toBe(1 + 10 ** levels * 2);
  });

  it('reports depth, fragments included', () => {
    expect(queryCost(schema, parse('{ node(id: "x") { parent { ...p } } } fragment p on Item { parent { id } }'), undefined, {}).depth).toBe(4);
  });

  it('does not loop on fragment cycles', () => {
    expect(cost('{ node(id: "x") { ...a } } fragment a on Item { parent { ...b } } fragment b on Item { parent { ...a } }')).toBe(1);
  });
});

describe('document limits', () => {
  const limits = { maxAliases: 3, maxOperations: 2 };
  it('cap aliases and operations', () => {
    expect(() => checkDocumentLimits(parse('{ a: node(id: "1") { id } b: node(id: "2") { id } }'), limits)).not.toThrow();
    expect(() => checkDocumentLimits(parse('{ a: node(id: "1") { x: id } b: node(id: "2") { y: id } }'), limits)).toThrow(/4 aliases; at most 3/);
    expect(() => checkDocumentLimits(parse('query a { __typename } query b { __typename } query c { __typename }'), limits)).toThrow(/3 operations/);
  });
  it('cap the fields of a document', () => {
    expect(() => checkDocumentLimits(parse(`{ ${'__typename '.repeat(2001)} }`), limits)).toThrow(/2001 fields/);
  });
});
