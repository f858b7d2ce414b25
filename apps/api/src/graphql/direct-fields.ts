import { Injectable } from '@nestjs/common';
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './request-context';

/** Resolves one field of one object from its parent and the request, with no framework in between. */
export type DirectResolver<P = never> = (parent: P, context: RequestContext) => unknown;

/**
 * Fields resolved straight from the per-request DataLoaders and the in-memory catalogue, not
 * through Nest's resolver pipeline. Nest wraps every `@ResolveField` call (parameter extraction,
 * enhancers, promises); for fields asked for every object of a page (an item's component,
 * reporter, route) that wrapper cost about a quarter of a page's time. Feature modules declare
 * such fields with `@Field` on the type and register their resolver here; the schema gets them
 * before it is served.
 */
@Injectable()
export class DirectFields {
  private readonly resolvers: { types: readonly string[]; field: string; resolve: DirectResolver<unknown> }[] = [];

  register<P>(types: readonly string[], field: string, resolve: DirectResolver<P>): void {
    this.resolvers.push({ types, field, resolve: resolve as DirectResolver<unknown> });
  }

  /** Installs the registered resolvers (Nest's `transformSchema`). */
  apply(schema: GraphQLSchema): GraphQLSchema {
    for (const { types, field, resolve } of this.resolvers) {
      for (const typeName of types) {
        const type = schema.getType(typeName);
        const definition = isObjectType(type) ? type.getFields()[field] : undefined;
        if (!definition) throw new Error(`direct field ${typeName}.${field} is not in the schema`);
        definition.resolve = (parent, _args, context) => resolve(parent, context as RequestContext);
      }
    }
    return schema;
  }
}
