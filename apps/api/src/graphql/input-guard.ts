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
  const { literalProblems, variablePaths } = documentStrings(document);
  const problems = [...literalProblems];
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > 50) return;
    if (typeof value === 'string') checkString(value, path, problems);
    else if (Array.isArray(value)) for (const item of value) walk(item, path, depth + 1);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        checkString(key, `${path}.${key.split('\u0000').join('\\u0000')}`, problems);
        walk(inner, `${path}.${key}`, depth + 1);
      }
    }
  };
  if (variables) for (const name of Object.keys(variables)) walk(variables[name], variablePaths.get(name) ?? name, 0);

  if (problems.length > 0) throw new InputValidationError(dedupe(problems));
}

interface Problem {
  field: string;
  message: string;
}

function checkString(value: string, field: string, problems: Problem[]): void {
  if (value.includes('\u0000')) problems.push({ field, message: `${field} must not contain the NUL character (\\u0000)` });
  else if (value.length > MAX_INPUT_STRING) problems.push({ field, message: `${field} must be at most ${MAX_INPUT_STRING} characters` });
}

/** What a document's own strings tell, found once per document (the server keeps parsed documents and reuses them). */
interface DocumentStrings {
  /** The problems of its string literals (arguments and variables' defaults). */
  literalProblems: readonly Problem[];
  /** Each variable's argument path, where it is first used. */
  variablePaths: ReadonlyMap<string, string>;
}

const documentStringsCache = new WeakMap<DocumentNode, DocumentStrings>();

function documentStrings(document: DocumentNode): DocumentStrings {
  let known = documentStringsCache.get(document);
  if (!known) {
    known = readDocumentStrings(document);
    documentStringsCache.set(document, known);
  }
  return known;
}

function readDocumentStrings(document: DocumentNode): DocumentStrings {
  const variablePaths = new Map<string, string>();
  const problems: Problem[] = [];
  const literal = (node: ValueNode, path: string) => {
    switch (node.kind) {
      case Kind.STRING:
        checkString(node.value, path, problems);
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
  return { literalProblems: problems, variablePaths };
}

function dedupe(problems: Problem[]): Problem[] {
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
