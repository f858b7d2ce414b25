import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** GraphQL type names are the class names of the objects resolvers return. */
export function typeNameOf(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const explicit = (value as { __typename?: unknown }).__typename;
    if (typeof explicit === 'string') return explicit;
    return (value as object).constructor?.name;
  }
  return undefined;
}

@InterfaceType('Node', {
  description: 'An object with a globally unique, opaque ID (Relay Global Object Identification).',
  resolveType: typeNameOf,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique and opaque: pass it to `node(id:)`.' })
  id!: string;
}
