import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { CommentRecord } from '@headwaters/items';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { User } from '../identity/identity.types';

@ObjectType({ implements: () => [Node], description: 'A comment on an item.' })
export class Comment implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  // Resolved directly (see ModerationResolver): empty for viewers who may not read a hidden comment.
  @Field({ description: 'The text, as written (as last edited). Empty for viewers who may not see a hidden comment: all but its author, the maintainers of its item and admins.' })
  body?: string;

  @Field({ description: 'When it was written.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When its author last edited it; null if never (the text before is in the COMMENT_EDITED event).' })
  editedAt!: Date | null;

  @Field({ description: 'Hidden by a maintainer (spam, abuse); its author, maintainers and admins still read it.' })
  hidden!: boolean;

  @Field(() => User, { description: 'Who wrote it.' })
  author?: User;

  record!: CommentRecord;

  static from(record: CommentRecord): Comment {
    return Object.assign(new Comment(), { id: toGlobalId('Comment', record.id), createdAt: record.createdAt, editedAt: record.editedAt, hidden: record.hidden, record });
  }
}
