import {
  GraphQLError, Kind, getNamedType, getNullableType, isCompositeType, isInterfaceType, isListType, isObjectType, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@headwaters/graphql-kit';

/**
 * What a field costs each time it is resolved, beyond the fields under it: the work it does in
 * points, 1 point being about 1 ms of one core's work at 100,000 items (measured with
 * `npm run bench:cost`). Fields not listed cost 0 (scalars, and objects the per-request loaders
 * batch), a root query field 1, a root mutation field 10, and a field returning a connection 1.
 * The README's cost model lists the same figures (cost-table.spec.ts keeps them in step).
 */
export const FIELD_COSTS: Record<string, number | ((args: Record<string, unknown>) => number)> = {
  'Query.search': (args) => ITEM_LIST_TEXT_COST + listedItems(args) * ITEM_ROW_COST,
  'Query.items': itemList,
  'Upstream.items': itemList,
  'Release.fixedItems': itemList,
  'Release.plannedItems': itemList,
  // At most a few bounded candidate levels of the report's rarest words, then ranked (p99 26 ms at 100,000 items).
  'Query.similarItems': 25,
  'Query.suggestComponents': 10,
  'Query.rateLimit': 0,
};

/** A page of a list of items: its statement, a text search's ranking, and each item read (wide rows). */
export const ITEM_LIST_COST = 1;
export const ITEM_LIST_TEXT_COST = 10;
export const ITEM_ROW_COST = 0.1;

/**
 * What `totalCount` costs, by the field the connection came from: counting a list of items reads
 * every item that matches, the whole table for a broad filter (150-330 ms at 100,000 items on a
 * busy machine); an upstream's items or a release's through their own index (40 ms and 8 ms).
 * Other counts (an item's comments, its timeline) read one short index range: 1.
 */
export const ITEM_COUNT_COST = 250;
export const TOTAL_COUNT_COSTS: Record<string, number> = {
  'Query.items': ITEM_COUNT_COST,
  'Query.search': ITEM_COUNT_COST,
  'Upstream.items': 50,
  'Release.fixedItems': 20,
  'Release.plannedItems': 20,
};

/** Introspection: the whole schema is a large answer to build and send, one type a small one. */
export const INTROSPECTION_COSTS = { __schema: 150, __type: 10 } as const;
export const MUTATION_COST = 10;
/** Children of a list without page arguments are counted this many times. */
export const UNPAGED_LIST_SIZE = 10;
/** Most fields (counted as written, fragments once) one document may hold. */
export const MAX_DOCUMENT_FIELDS = 2000;

function itemList(args: Record<string, unknown>): number {
  return (hasText(args) ? ITEM_LIST_TEXT_COST : ITEM_LIST_COST) + listedItems(args) * ITEM_ROW_COST;
}

function listedItems(args: Record<string, unknown>): number {
  return pageArgument(args) ?? DEFAULT_PAGE_SIZE;
}

function hasText(args: Record<string, unknown>): boolean {
  const filter = args.filter as { text?: unknown } | undefined;
  return typeof filter?.text === 'string' && filter.text.trim().length > 0;
}

export function tooComplex(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', ...extensions } });
}

export interface DocumentLimits {
  maxAliases: number;
  maxOperations: number;
}

/**
 * Limits on the document as written, checked before graphql-js validates it (validation of a
 * huge document costs time of its own): operations, aliases and fields.
 */
export function checkDocumentLimits(document: DocumentNode, limits: DocumentLimits): void {
  let operations = 0;
  let aliases = 0;
  let fields = 0;
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields++;
        if (selection.alias) aliases++;
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) walk(definition.selectionSet);
  }
  if (operations > limits.maxOperations) throw tooComplex(`The document holds ${operations} operations; at most ${limits.maxOperations} are allowed`);
  if (aliases > limits.maxAliases) throw tooComplex(`The document holds ${aliases} aliases; at most ${limits.maxAliases} are allowed`);
  if (fields > MAX_DOCUMENT_FIELDS) throw tooComplex(`The document holds ${fields} fields; at most ${MAX_DOCUMENT_FIELDS} are allowed`);
}

export interface QueryCost {
  /** Points the operation costs (at least 1). */
  cost: number;
  /** Its deepest field's level (a root field is level 1). */
  depth: number;
}

/**
 * The cost of the operation that will run, in the manner of GitHub's: each field's own cost
 * times how many times it resolves (the product of the page sizes above it), summed. Linear in
 * the document: a fragment is costed once per page size it is spread under, and reused.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined | null, variables: Record<string, unknown> | undefined): QueryCost {
  const operation = operationOf(document, operationName);
  if (!operation) return { cost: 1, depth: 0 };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { cost: 1, depth: 0 };
  const analyzer = new CostAnalyzer(schema, document, variables ?? {}, operation.operation === 'mutation');
  const { cost, depth } = analyzer.selectionSet(operation.selectionSet, root, DEFAULT_PAGE_SIZE, true);
  return { cost: Math.max(1, Math.ceil(cost)), depth };
}

function operationOf(document: DocumentNode, name: string | undefined | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

class CostAnalyzer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly memo = new Map<string, QueryCost>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
    private readonly mutation: boolean,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  /** The cost of one instance of `parent` with this selection; `pageSize` is the page of the connection above. */
  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number, root = false, connection = ''): QueryCost {
    let cost = 0;
    let depth = 0;
    const add = (part: QueryCost) => {
      cost += part.cost;
      depth = Math.max(depth, part.depth);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(this.field(selection, parent, pageSize, root, connection));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) add(this.selectionSet(selection.selectionSet, type, pageSize, root, connection));
      } else {
        add(this.fragment(selection.name.value, pageSize, root, connection));
      }
    }
    return { cost, depth };
  }

  private fragment(name: string, pageSize: number, root: boolean, connection: string): QueryCost {
    const key = `${name}|${pageSize}|${root}|${connection}`;
    const known = this.memo.get(key);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // A cycle of fragments is invalid (validation says so); it costs nothing more here.
    if (!fragment || this.inProgress.has(key)) return { cost: 0, depth: 0 };
    const type = this.schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return { cost: 0, depth: 0 };
    this.inProgress.add(key);
    const result = this.selectionSet(fragment.selectionSet, type, pageSize, root, connection);
    this.inProgress.delete(key);
    this.memo.set(key, result);
    return result;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, pageSize: number, root: boolean, connection: string): QueryCost {
    const name = node.name.value;
    if (name === '__typename') return { cost: 0, depth: 1 };
    if (name === '__schema' || name === '__type') return { cost: INTROSPECTION_COSTS[name], depth: 1 };
    const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
    const definition = fields[name];
    if (!definition) return { cost: 0, depth: 1 };
    const args = this.arguments(node);
    const own = name === 'totalCount' && parent.name.endsWith('Connection') ? (TOTAL_COUNT_COSTS[connection] ?? 1) : this.ownCost(parent.name, definition, args, root);
    if (!node.selectionSet) return { cost: own, depth: 1 };
    const type = getNamedType(definition.type);
    if (!isCompositeType(type)) return { cost: own, depth: 1 };

    const paged = pageArgument(args);
    const returnsConnection = type.name.endsWith('Connection');
    let times = 1;
    let childPage = pageSize;
    if (returnsConnection) {
      childPage = paged ?? DEFAULT_PAGE_SIZE;
    } else if (Array.isArray(args.ids)) {
      times = args.ids.length;
    } else if (isListType(getNullableType(definition.type))) {
      times = paged ?? (parent.name.endsWith('Connection') ? pageSize : UNPAGED_LIST_SIZE);
    }
    const inner = this.selectionSet(node.selectionSet, type, childPage, false, returnsConnection ? `${parent.name}.${name}` : '');
    return { cost: own + times * inner.cost, depth: 1 + inner.depth };
  }

  private ownCost(typeName: string, definition: GraphQLField<unknown, unknown>, args: Record<string, unknown>, root: boolean): number {
    const listed = FIELD_COSTS[`${typeName}.${definition.name}`];
    if (listed !== undefined) return typeof listed === 'function' ? listed(args) : listed;
    if (root) return this.mutation ? MUTATION_COST : 1;
    return getNamedType(definition.type).name.endsWith('Connection') ? 1 : 0;
  }

  /**
   * The field's arguments, each worked out from the document and the variables when first read:
   * an argument no cost depends on is never read, so neither are the variables in it (which lets
   * a cached cost say which variables it depends on; see query-cost-cache.ts).
   */
  private arguments(node: FieldNode): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    for (const argument of node.arguments ?? []) {
      const name = argument.name.value;
      Object.defineProperty(args, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          const value = valueFromASTUntyped(argument.value, this.variables);
          Object.defineProperty(args, name, { value, configurable: true, enumerable: true, writable: true });
          return value;
        },
      });
    }
    return args;
  }
}

function pageArgument(args: Record<string, unknown>): number | undefined {
  for (const name of ['first', 'last']) {
    const value = args[name];
    // Past the largest page, validation refuses the argument itself (BAD_USER_INPUT naming it).
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return Math.min(value, MAX_PAGE_SIZE);
  }
  return undefined;
}
