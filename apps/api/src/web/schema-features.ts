import { isInterfaceType, isObjectType, isInputObjectType, type GraphQLSchema } from 'graphql';

/**
 * Which parts of the schema exist, so a page shows what the API offers today and picks up what
 * lands later (component suggestions, notifications, assignees, tags...) without a code change.
 */
export class SchemaFeatures {
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly schema: () => GraphQLSchema | undefined) {}

  /** Whether `type` has `field` (an object, interface or input type). */
  has(type: string, field: string): boolean {
    const key = `${type}.${field}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      const schema = this.schema();
      if (!schema) return false;
      const named = schema.getType(type);
      found = !!named && (isObjectType(named) || isInterfaceType(named) || isInputObjectType(named)) && field in named.getFields();
      this.cache.set(key, found);
    }
    return found;
  }
}
