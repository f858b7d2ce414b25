import type { DocumentNode, GraphQLSchema } from 'graphql';
import { queryCost, type QueryCost } from './query-cost';

/** Costs kept per operation of a document, for as many different values of what they depend on. */
const MAX_COSTS_PER_GROUP = 64;
/** Different sets of variables one operation's costs may depend on (each walk says which it read). */
const MAX_GROUPS = 8;
/** Values longer than this as JSON (a long list of ids, say) are costed again rather than kept. */
const MAX_KEY_LENGTH = 2000;

/** The costs of one operation that depend on the same variables, by those variables' values. */
interface CostGroup {
  /** The variables the walk read, sorted. */
  readonly depends: readonly string[];
  readonly byValues: Map<string, QueryCost>;
}

const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, CostGroup[]>>>();

/**
 * {@link queryCost}, worked out once per document, operation and values of the variables the cost
 * depends on. The server keeps parsed documents and hands the same one to every request that sends
 * the same query, so a client repeating a query is costed by a lookup. The walk reads a
 * variable only where an argument it needs holds one (a page size, a filter's text, a list of
 * ids), and records which it read: the cost is the same for every request that gives those
 * variables the same values, whatever the others hold (`item(number: $n)` costs the same for
 * every `n`).
 */
export function cachedQueryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined | null, variables: Record<string, unknown> | undefined): QueryCost {
  let documents = cache.get(schema);
  if (!documents) {
    documents = new WeakMap();
    cache.set(schema, documents);
  }
  let operations = documents.get(document);
  if (!operations) {
    operations = new Map();
    documents.set(document, operations);
  }
  const operation = operationName ?? '';
  let groups = operations.get(operation);
  if (!groups) {
    groups = [];
    operations.set(operation, groups);
  }
  for (const group of groups) {
    const known = group.byValues.get(valuesKey(group.depends, variables));
    if (known) return known;
  }

  const read = new Set<string>();
  const given = variables ?? {};
  const recording = new Proxy(given, {
    get(target, name, receiver) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  const cost = queryCost(schema, document, operationName, recording);

  const depends = [...read].sort();
  const key = valuesKey(depends, variables);
  if (key.length > MAX_KEY_LENGTH) return cost;
  let group = groups.find((g) => g.depends.length === depends.length && g.depends.every((name, i) => name === depends[i]));
  if (!group) {
    if (groups.length >= MAX_GROUPS) return cost;
    group = { depends, byValues: new Map() };
    groups.push(group);
  }
  if (group.byValues.size >= MAX_COSTS_PER_GROUP) group.byValues.delete(group.byValues.keys().next().value!);
  group.byValues.set(key, cost);
  return cost;
}

/** The values of `names` in `variables` as one string; a variable not given differs from one given as null. */
function valuesKey(names: readonly string[], variables: Record<string, unknown> | undefined): string {
  if (names.length === 0) return '';
  return JSON.stringify(names.map((name) => (variables && Object.hasOwn(variables, name) ? [variables[name]] : [])));
}
