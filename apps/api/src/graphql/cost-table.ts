import { parse, type GraphQLSchema } from 'graphql';
import {
  FIELD_COSTS, INTROSPECTION_COSTS, ITEM_COUNT_COST, ITEM_LIST_COST, ITEM_LIST_TEXT_COST, ITEM_ROW_COST, MUTATION_COST, TOTAL_COUNT_COSTS, queryCost,
} from './query-cost';

const fixed = (key: string): number => {
  const cost = FIELD_COSTS[key];
  if (typeof cost !== 'number') throw new Error(`${key} has no fixed cost`);
  return cost;
};
const itemLists = Object.keys(TOTAL_COUNT_COSTS).filter((key) => key !== 'Query.search');

/**
 * The README's cost table, made from the figures the cost model uses, each row with a query and
 * what it costs on `schema` (so a change of weights shows in the README or fails its test).
 */
export function costModelTable(schema: GraphQLSchema): string {
  const rows: [string, string, string][] = [
    ['a root query field (`item`, `node`, `upstream`, `releases`, `viewer`, ...)', '1', '{ item(number: 1) { title } }'],
    [`a page of items: ${itemLists.map((key) => `\`${key}\``).join(', ')}`, `${ITEM_LIST_COST} + ${ITEM_ROW_COST} per item of the page (\`first\`/\`last\`, default 20)`, '{ items(first: 100) { nodes { title } } }'],
    ['the same with `filter.text`, and `search` (a ranked text search)', `${ITEM_LIST_TEXT_COST} + ${ITEM_ROW_COST} per item of the page`, '{ search(query: "memory leak") { nodes { title } } }'],
    ['`totalCount` of `Query.items` and `search` (counting reads every matching item)', String(ITEM_COUNT_COST), '{ items(first: 1, filter: { minVotes: 3 }) { totalCount } }'],
    ['`totalCount` of `Upstream.items` / of `Release.fixedItems` and `Release.plannedItems` (through their own index)', `${TOTAL_COUNT_COSTS['Upstream.items']} / ${TOTAL_COUNT_COSTS['Release.fixedItems']}`, '{ upstream(slug: "xen-project") { items(first: 1) { totalCount } } }'],
    ['any other `totalCount` (an item\'s comments or timeline: one short index range)', '1', '{ item(number: 1) { comments { totalCount } } }'],
    ['any other field returning a connection (`comments`, `timeline`, `components`, `notifications`, ...), once per parent', '1', '{ items(first: 10) { nodes { comments(first: 5) { nodes { body } } } } }'],
    ['`similarItems` (bounded candidates from the report\'s rarest words, ranked)', String(fixed('Query.similarItems')), '{ similarItems(title: "xenopsd leaks memory") { title } }'],
    ['`suggestComponents`', String(fixed('Query.suggestComponents')), '{ suggestComponents(title: "xenopsd leaks memory") { component { slug } } }'],
    ['a root mutation field', String(MUTATION_COST), 'mutation { logout { ok } }'],
    ['`__schema` (whole-schema introspection) / `__type`', `${INTROSPECTION_COSTS.__schema} / ${INTROSPECTION_COSTS.__type}`, '{ __schema { types { name fields { name } } } }'],
    ['`rateLimit`, `__typename`, scalars, objects the per-request loaders batch (`component`, `reporter`, ...)', String(fixed('Query.rateLimit')), '{ rateLimit { remaining } __typename }'],
  ];
  return [
    '| field | points | for example | costs |',
    '| --- | --- | --- | ---: |',
    ...rows.map(([what, points, query]) => `| ${what} | ${points} | \`${query}\` | ${queryCost(schema, parse(query), undefined, {}).cost} |`),
  ].join('\n');
}
