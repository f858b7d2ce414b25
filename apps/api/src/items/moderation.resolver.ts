import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { CatalogueReader } from '@headwaters/catalogue';
import { fromGlobalId } from '@headwaters/graphql-kit';
import { can } from '@headwaters/identity';
import { ItemQueryService, ItemVisibility, ModerationService, policyTargetOf, type CommentRecord } from '@headwaters/items';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Args } from '../graphql/args.decorator';
import { DirectFields } from '../graphql/direct-fields';
import type { RequestContext } from '../graphql/request-context';
import { Comment } from './comment.type';
import { CommentPayload } from './filing.input';
import { EditCommentInput, HideCommentInput } from './moderation.inputs';
import { toItem } from './item.type';
import type { TimelineEvent } from './timeline-event.type';
import { itemLoader } from './visibility-context';

/**
 * Whether the viewer moderates the comment's (or event's) item: its maintainers and admins,
 * who read hidden comments and the text before an edit.
 */
async function moderates(context: RequestContext, reader: CatalogueReader, itemQueries: ItemQueryService, itemId: number): Promise<boolean> {
  const actor = await context.actor();
  if (!actor) return false;
  const item = await (await itemLoader(context, reader, itemQueries)).load(itemId);
  return !!item && can(actor, 'comment.hide', policyTargetOf(await catalogueOf(context, reader), item));
}

/** Editing and hiding comments; who reads a hidden comment and an edited one's text before. */
@Resolver()
export class ModerationResolver {
  constructor(
    private readonly moderation: ModerationService,
    private readonly itemQueries: ItemQueryService,
    reader: CatalogueReader,
    fields: DirectFields,
  ) {
    fields.register<Comment>(['Comment'], 'body', async (comment, context) => readableBody(comment.record, context, reader, itemQueries));
    fields.register<TimelineEvent>(['TimelineEvent'], 'previousText', async (event, context) => {
      if (event.record.type !== 'COMMENT_EDITED') return null;
      return (await moderates(context, reader, itemQueries, event.record.itemId)) ? String(event.record.data.previous ?? '') : null;
    });
  }

  @Mutation(() => CommentPayload, { description: "Changes a comment's text. Its author only; the text before is kept (a COMMENT_EDITED event shows it to maintainers)." })
  async editComment(@Args('input') input: EditCommentInput, @Context() context: RequestContext): Promise<CommentPayload> {
    const record = await this.moderation.editComment(await context.actor(), fromGlobalId(input.commentId, ['Comment'], 'commentId').id, input.body);
    return this.payload(record);
  }

  @Mutation(() => CommentPayload, { description: 'Hides a comment (spam, abuse: its body reads as empty for all but its author, maintainers and admins) or shows it again. The item\'s maintainers and admins.' })
  async hideComment(@Args('input') input: HideCommentInput, @Context() context: RequestContext): Promise<CommentPayload> {
    const record = await this.moderation.hideComment(await context.actor(), fromGlobalId(input.commentId, ['Comment'], 'commentId').id, input.hidden, input.reason ?? null);
    return this.payload(record);
  }

  private async payload(record: CommentRecord): Promise<CommentPayload> {
    const [item] = await this.itemQueries.byIds([record.itemId], ItemVisibility.ALL);
    return { comment: Comment.from(record), item: toItem(item!) };
  }
}

/** A comment's body as the viewer may read it: a hidden one only for its author, its item's maintainers and admins. */
async function readableBody(record: CommentRecord, context: RequestContext, reader: CatalogueReader, itemQueries: ItemQueryService): Promise<string> {
  if (!record.hidden) return record.body;
  const actor = await context.actor();
  if (actor && actor.userId === record.authorId) return record.body;
  return (await moderates(context, reader, itemQueries, record.itemId)) ? record.body : '';
}
