import { buildSchema, parse } from 'graphql';
import { queryCost } from './query-cost';
import { cachedQueryCost } from './query-cost-cache';

const schema = buildSchema(`
  type Query { items(first: Int, last: Int, filter: Filter): ItemConnection! item(number: Int!): Item nodes(ids: [ID!]!): [Item]! }
  input Filter { text: String, closed: Boolean }
  type ItemConnection { nodes: [Item!]! totalCount: Int! }
  type Item { id: ID! title: String! comments(first: Int): CommentConnection! }
  type CommentConnection { nodes: [Comment!]! totalCount: Int! }
  type Comment { body: String! }
`);

describe('the cost of a query, kept per document', () => {
  it('is the cost of the walk for every value of the variables, the ones it depends on and the others', () => {
    const document = parse(`query ($n: Int, $f: Filter, $c: Int, $unused: String) {
      items(first: $n, filter: $f) { totalCount nodes { comments(first: $c) { nodes { body } } } }
    }`);
    const cases: Record<string, unknown>[] = [
      { n: 10, c: 5 },
      { n: 10, c: 5, unused: 'a' },
      { n: 10, c: 5, unused: 'b' },
      { n: 20, c: 5 },
      { n: 10, c: 50 },
      { n: 10, c: 5, f: { text: 'memory leak' } },
      { n: 10, c: 5, f: { closed: false } },
      { n: 10, c: 5, f: { text: '' } },
      { n: null, c: 5 },
      { c: 5 },
      {},
    ];
    // Twice over, so the second round is answered from what the first kept.
    for (const round of [1, 2]) {
      for (const variables of cases) {
        expect({ round, variables, cost: cachedQueryCost(schema, document, undefined, variables) }).toEqual({ round, variables, cost: queryCost(schema, document, undefined, variables) });
      }
    }
    expect(cachedQueryCost(schema, document, undefined, { n: 10, c: 5 }).cost).toBe(1 + 1 + 250 + 10 * 1);
    expect(cachedQueryCost(schema, document, undefined, { n: 20, c: 5 }).cost).toBe(1 + 2 + 250 + 20 * 1);
    expect(cachedQueryCost(schema, document, undefined, { n: 10, c: 5, f: { text: 'leak' } }).cost).toBe(10 + 1 + 250 + 10 * 1);
  });

  it('does not read a variable no cost depends on, so one value stands for all of them', () => {
    const document = parse('query ($n: Int!) { item(number: $n) { title comments(first: 5) { nodes { body } } } }');
    const reads: string[] = [];
    const watched = (n: number) =>
      new Proxy({ n }, {
        get(target, name, receiver) {
          reads.push(String(name));
          return Reflect.get(target, name, receiver) as unknown;
        },
      });
    expect(cachedQueryCost(schema, document, undefined, watched(1))).toEqual({ cost: 2, depth: 4 });
    expect(cachedQueryCost(schema, document, undefined, watched(2))).toEqual({ cost: 2, depth: 4 });
    expect(reads).not.toContain('n');
  });

  it('tells the operations of one document apart, and lists of ids by their length', () => {
    const document = parse('query A($ids: [ID!]!) { nodes(ids: $ids) { comments(first: 2) { totalCount } } } query B { items(first: 3) { nodes { id } } }');
    expect(cachedQueryCost(schema, document, 'A', { ids: ['a', 'b'] }).cost).toBe(1 + 2 * 2);
    expect(cachedQueryCost(schema, document, 'A', { ids: ['a', 'b', 'c'] }).cost).toBe(1 + 3 * 2);
    // 1 + 3 items read at 0.1, rounded up.
    expect(cachedQueryCost(schema, document, 'B', {}).cost).toBe(2);
    expect(cachedQueryCost(schema, document, 'A', { ids: ['a', 'b'] }).cost).toBe(1 + 2 * 2);
  });
});
