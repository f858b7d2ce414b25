import { isAbstractType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The text of `schema.gql`: the emitted schema, sorted, so its diffs read well in review. */
export function schemaFileText(schema: GraphQLSchema): string {
  return `# Headwaters GraphQL schema. Generated from the code: do not edit by hand; run \`npm run schema\`.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * What `possible-types.json` holds: every interface and union with the object types that
 * implement it, sorted. Apollo Client's cache needs it (`possibleTypes`) to apply fragments on an
 * interface such as `... on Item`.
 */
export function possibleTypesFileText(schema: GraphQLSchema): string {
  const possible: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (type.name.startsWith('__') || !isAbstractType(type)) continue;
    possible[type.name] = schema.getPossibleTypes(type).map((t) => t.name).sort();
  }
  return `${JSON.stringify(possible, null, 2)}\n`;
}
