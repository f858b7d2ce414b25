import { Injectable } from '@nestjs/common';

/** Loads objects of one GraphQL type by their numeric database ids, in key order (null when absent). */
export type NodeFetcher = (ids: readonly number[], context: unknown) => Promise<(object | null)[]>;

/**
 * Where feature modules declare how `node(id:)` finds their types. Each module registers its
 * types at start-up; the `node` and `nodes` queries look the type up here.
 */
@Injectable()
export class NodeRegistry {
  private readonly fetchers = new Map<string, NodeFetcher>();

  register(typeName: string, fetcher: NodeFetcher): void {
    if (this.fetchers.has(typeName)) throw new Error(`node type ${typeName} registered twice`);
    this.fetchers.set(typeName, fetcher);
  }

  fetcherOf(typeName: string): NodeFetcher | undefined {
    return this.fetchers.get(typeName);
  }
}
