import { GraphQLError, Kind, visit, type ArgumentNode, type DocumentNode, type ValueNode } from 'graphql';
import { InputValidationError } from '@headwaters/graphql-kit';

/** The longest string any input may hold; inputs with their own, smaller limits keep them. */
export const MAX_INPUT_STRING = 100_000;

/**
 * Checks every string a request hands the server, before anything runs: the variables and the
 * string literals of the document. PostgreSQL refuses the NUL character (0x00) in text, so a
 * NUL anywhere would fail deep inside a statement; here it is BAD_USER_INPUT naming the field
 * (`input.title`, `query`), the argument path the value was given for.
 */
export function checkInputStrings(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  const variablePaths = new Map<string, string>();
  const problems: { field: string; message: string }[] = [];
  const check = (value: string, field: string) => {
    if (value.includes('\u0000')) problems.push({ field, message: `${field} must not contain the NUL character (\\u0000)` });
    else if (value.length > MAX_INPUT_STRING) problems.push({ field, message: `${field} must be at most ${MAX_INPUT_STRING} characters` });
  };

  const literal = (node: ValueNode, path: string) => {
    switch (node.kind) {
      case Kind.STRING:
        check(node.value, path);
        break;
      case Kind.LIST:
        for (const item of node.values) literal(item, path);
        break;
      case Kind.OBJECT:
        for (const field of node.fields) literal(field.value, `${path}.${field.name.value}`);
        break;
      case Kind.VARIABLE:
        if (!variablePaths.has(node.name.value)) variablePaths.set(node.name.value, path);
        break;
      default:
        break;
    }
  };

  visit(document, {
    Argument(node: ArgumentNode) {
      literal(node.value, node.name.value);
    },
  });
  visit(document, {
    VariableDefinition(node) {
      if (node.defaultValue) literal(node.defaultValue, variablePaths.get(node.variable.name.value) ?? node.variable.name.value);
    },
  });

  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > 50) return;
    if (typeof value === 'string') check(value, path);
    else if (Array.isArray(value)) for (const item of value) walk(item, path, depth + 1);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        check(key, `${path}.${key.split('\u0000').join('\\u0000')}`);
        walk(inner, `${path}.${key}`, depth + 1);
      }
    }
  };
  for (const [name, value] of Object.entries(variables ?? {})) walk(value, variablePaths.get(name) ?? name, 0);

  if (problems.length > 0) throw new InputValidationError(dedupe(problems));
}

function dedupe(problems: { field: string; message: string }[]): { field: string; message: string }[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}

/** {@link checkInputStrings} as a Mercurius hook throws it: a GraphQL error carrying the domain error. */
export function guardInputs(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  try {
    checkInputStrings(document, variables);
  } catch (error) {
    throw new GraphQLError((error as Error).message, { originalError: error as Error });
  }
}
