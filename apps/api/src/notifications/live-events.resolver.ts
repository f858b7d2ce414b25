import { ArgsType, Context, Field, ID, Resolver, Subscription } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@headwaters/core';
import { CatalogueReader } from '@headwaters/catalogue';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { ERROR_CODES } from '@headwaters/graphql-kit';
import { NoticeAuthorizer, LiveEventsService, type LiveEvent } from '@headwaters/notifications';
import { Args } from '../graphql/args.decorator';
import type { LiveContext } from '../graphql/live-context';
import { itemIdOf } from '../items/item-id';
import { TimelineEvent } from '../items/timeline-event.type';
import { eventStream } from './event-stream';

@ArgsType()
export class ItemEventsArgs {
  @Field(() => ID, { nullable: true, description: 'A Bug or FeatureSuggestion ID; left out: every item you may see.' })
  @IsOptional() @IsString() @MaxLength(200)
  itemId?: string | null;
}

/** Live timeline events over WebSocket (graphql-transport-ws at /graphql). */
@Resolver(() => TimelineEvent)
export class LiveEventsResolver {
  constructor(
    private readonly live: LiveEventsService,
    private readonly visibility: NoticeAuthorizer,
    private readonly itemQueries: ItemQueryService,
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  @Subscription(() => TimelineEvent, {
    description: 'Timeline events as they happen: of one item, or of every item you may see. Sign in with {"authorization": "Bearer <token>"} in connection_init.',
    resolve: (event: TimelineEvent) => event,
  })
  async itemEvents(@Args() args: ItemEventsArgs, @Context() context: LiveContext): Promise<AsyncIterableIterator<TimelineEvent>> {
    try {
      return await this.start(args, context);
    } catch (error) {
      // Errors of a subscription's start bypass the error formatter: they carry their code here.
      if (error instanceof DomainError) {
        throw new GraphQLError(error.message, { extensions: { code: ERROR_CODES[error.kind], reason: error.code, ...(error.field ? { field: error.field } : {}) } });
      }
      throw error;
    }
  }

  private async start(args: ItemEventsArgs, context: LiveContext): Promise<AsyncIterableIterator<TimelineEvent>> {
    const actor = await context.actor();
    const itemId = args.itemId ? itemIdOf(args.itemId) : null;
    if (itemId !== null && !(await this.visibility.canSee(this.dataSource, actor, itemId))) {
      throw DomainError.notFound('ITEM_NOT_FOUND', 'itemId names no item', 'itemId');
    }
    let stop: () => void = () => undefined;
    const stream = eventStream<LiveEvent, TimelineEvent>(
      async (event) => {
        context.freshLoaders?.();
        // Who may see an item can change while the stream is open (a security report re-routed, a
        // role lost): the event is read as the listener is now, as the service authorized it.
        const viewer = event.viewer === undefined ? actor : event.viewer;
        const [record] = await this.itemQueries.eventsByIds([event.id], ItemVisibility.of(viewer, await this.reader.snapshot()));
        return record ? TimelineEvent.from(record) : null;
      },
      () => stop(),
    );
    stop = await this.live.listen(actor, itemId, (event) => stream.push(event));
    return stream.iterator;
  }
}
