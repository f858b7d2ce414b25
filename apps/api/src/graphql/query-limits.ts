import {
  GraphQLError, Kind, getNamedType, isCompositeType, isInterfaceType, isObjectType, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema,
  type SelectionSetNode, type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '@headwaters/graphql-kit';

export interface QueryLimits {
  maxDepth: number;
  maxNodes: number;
}

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

/**
 * Refuses, before execution, operations nested deeper than `maxDepth` or whose estimated node
 * count (each paginated field's page size times its parents') is over `maxNodes`, as GitHub does.
 * It runs per request because page sizes may come from variables.
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { body?: { variables?: unknown }; query?: { variables?: unknown } },
  limits: QueryLimits,
): void {
  const variables = variablesOf(request);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = def.operation === 'query' ? schema.getQueryType() : def.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) continue;
    const walker = new Walker(schema, fragments, variables, limits);
    walker.walk(def.selectionSet, root, 1, 1, new Set());
    if (walker.maxDepth > limits.maxDepth) {
      throw tooComplex(`The query is more than ${limits.maxDepth} levels deep (${walker.maxDepth} counted); at most ${limits.maxDepth} are allowed`);
    }
    if (walker.nodes > limits.maxNodes) {
      throw tooComplex(`The query could return more than ${limits.maxNodes} nodes (about ${walker.nodes}): ask for smaller pages with first/last`);
    }
  }
}

function variablesOf(request: { body?: { variables?: unknown }; query?: { variables?: unknown } }): Record<string, unknown> {
  let raw = request.body?.variables ?? request.query?.variables;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      raw = undefined;
    }
  }
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
}

class Walker {
  maxDepth = 0;
  nodes = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly limits: QueryLimits,
  ) {}

  walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number, multiplier: number, seen: Set<string>): void {
    // Stop counting once over the limits: the answer is already "no".
    if (this.maxDepth > this.limits.maxDepth || this.nodes > this.limits.maxNodes) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        this.field(selection, parent, depth, multiplier, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) this.walk(selection.selectionSet, type, depth, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const type = this.schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) this.walk(fragment.selectionSet, type, depth, multiplier, new Set([...seen, name]));
      }
    }
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, depth: number, multiplier: number, seen: Set<string>): void {
    this.maxDepth = Math.max(this.maxDepth, depth);
    if (!node.selectionSet) return;
    const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
    const definition = fields[node.name.value];
    if (!definition) return;
    let size = multiplier;
    if (definition.args.some((a) => a.name === 'first' || a.name === 'last')) {
      size = multiplier * (this.argument(node, 'first') ?? this.argument(node, 'last') ?? DEFAULT_PAGE_SIZE);
      this.nodes += size;
    } else if (definition.args.some((a) => a.name === 'ids')) {
      const ids = this.rawArgument(node, 'ids');
      size = multiplier * (Array.isArray(ids) ? ids.length : 1);
      this.nodes += size;
    }
    const type = getNamedType(definition.type);
    if (isCompositeType(type)) this.walk(node.selectionSet, type, depth + 1, size, seen);
  }

  private rawArgument(node: FieldNode, name: string): unknown {
    const arg = node.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value as ValueNode, this.variables) : undefined;
  }

  private argument(node: FieldNode, name: string): number | undefined {
    const value = this.rawArgument(node, name);
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
  }
}
