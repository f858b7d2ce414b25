import { Context, ID, Query, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { InputValidationError, MAX_PAGE_SIZE, Node, NodeRegistry, parseGlobalId } from '@headwaters/graphql-kit';
import type { RequestContext } from '../graphql/request-context';

/** Relay's object identification: any object by its global ID. */
@Resolver()
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Query(() => Node, { nullable: true, description: 'Fetches any object by its global ID; null when there is none (or the ID is not one of ours).' })
  async node(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext): Promise<object | null> {
    const [found] = await this.load([id], context);
    return found;
  }

  @Query(() => [Node], { nullable: 'items', description: `Fetches up to ${MAX_PAGE_SIZE} objects by global ID, in the order asked; null for each one not found.` })
  async nodes(
    @Args('ids', { type: () => [ID] }) ids: string[],
    @Context() context: RequestContext,
  ): Promise<(object | null)[]> {
    if (ids.length > MAX_PAGE_SIZE) throw new InputValidationError([{ field: 'ids', message: `ids must hold at most ${MAX_PAGE_SIZE} IDs` }]);
    return this.load(ids, context);
  }

  private async load(ids: string[], context: RequestContext): Promise<(object | null)[]> {
    const byType = new Map<string, { index: number; id: number }[]>();
    ids.forEach((globalId, index) => {
      const decoded = parseGlobalId(globalId);
      if (!decoded || !this.registry.fetcherOf(decoded.type)) return;
      const list = byType.get(decoded.type) ?? [];
      list.push({ index, id: decoded.id });
      byType.set(decoded.type, list);
    });
    const result: (object | null)[] = ids.map(() => null);
    await Promise.all(
      [...byType].map(async ([type, wanted]) => {
        const fetched = await this.registry.fetcherOf(type)!(wanted.map((w) => w.id), context);
        wanted.forEach((w, i) => (result[w.index] = fetched[i] ?? null));
      }),
    );
    return result;
  }
}
