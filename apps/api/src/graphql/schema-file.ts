import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The text of `schema.gql`: the emitted schema, sorted, so its diffs read well in review. */
export function schemaFileText(schema: GraphQLSchema): string {
  return `# Headwaters GraphQL schema. Generated from the code: do not edit by hand; run \`npm run schema\`.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
