import { Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { HeldMailService, UpstreamWatchService } from '@headwaters/forwarding';
import { fromGlobalId } from '@headwaters/graphql-kit';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { Forward } from '../forwarding/forward.type';
import { ForwardPayload } from '../forwarding/forwarding.inputs';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { itemIdOf } from '../items/item-id';
import { toItem } from '../items/item.type';
import { HeldMail } from './held-mail.type';
import { CheckUpstreamRecordInput, DecideHeldMailInput, HeldMailPayload, LinkUpstreamRecordInput } from './watching.inputs';

/** Watching upstreams: linking forwards to the upstreams' records, reading them now, and moderating held replies. */
@Resolver()
export class WatchingResolver {
  constructor(
    private readonly watch: UpstreamWatchService,
    private readonly held: HeldMailService,
    private readonly itemQueries: ItemQueryService,
  ) {}

  @Mutation(() => ForwardPayload, { description: "Links one of the item's forwards to the upstream's own record (checked against the upstream's tracker kind); the forward becomes FORWARDED and is read back from then on. The item's maintainers and admins." })
  async linkUpstreamRecord(@Args('input') input: LinkUpstreamRecordInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const id = itemIdOf(input.itemId);
    const forward = await this.watch.linkUpstreamRecord(await context.actor(), id, input.upstreamSlug, input.url);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  @Mutation(() => ForwardPayload, { description: "Reads the forward's linked record now; a failed read is recorded in checkError, not raised. The item's maintainers and admins." })
  async checkUpstreamRecord(@Args('input') input: CheckUpstreamRecordInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const forwardId = fromGlobalId(input.forwardId, ['Forward'], 'forwardId').id;
    const forward = await this.watch.checkUpstreamRecord(await context.actor(), forwardId);
    return { item: await this.item(forward.itemId), forward: Forward.from(forward) };
  }

  @Query(() => [HeldMail], { description: "Replies by mail held on an item for its maintainers, oldest first (at most 50); empty for anyone else." })
  async heldMails(@Args('itemId', { type: () => ID, description: 'The item.' }) itemId: string, @Context() context: RequestContext): Promise<HeldMail[]> {
    return (await this.held.heldFor(await context.actor(), itemIdOf(itemId))).map(HeldMail.from);
  }

  @Mutation(() => HeldMailPayload, { description: "Posts a held reply as the approving maintainer's comment, quoting its sender. The item's maintainers and admins." })
  async approveHeldMail(@Args('input') input: DecideHeldMailInput, @Context() context: RequestContext): Promise<HeldMailPayload> {
    const held = await this.held.approve(await context.actor(), fromGlobalId(input.heldMailId, ['HeldMail'], 'heldMailId').id);
    return { heldMail: HeldMail.from(held), item: await this.item(held.itemId) };
  }

  @Mutation(() => HeldMailPayload, { description: "Drops a held reply. The item's maintainers and admins." })
  async dropHeldMail(@Args('input') input: DecideHeldMailInput, @Context() context: RequestContext): Promise<HeldMailPayload> {
    const held = await this.held.drop(await context.actor(), fromGlobalId(input.heldMailId, ['HeldMail'], 'heldMailId').id);
    return { heldMail: HeldMail.from(held), item: await this.item(held.itemId) };
  }

  private async item(id: number) {
    return toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!);
  }
}
