import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { CommentRecord } from '@headwaters/items';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { User } from '../identity/identity.types';

@ObjectType({ implements: () => [Node], description: 'A comment on an item.' })
export class Comment implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'The text, as written.' })
  body!: string;

  @Field({ description: 'When it was written.' })
  createdAt!: Date;

  @Field(() => User, { description: 'Who wrote it.' })
  author?: User;

  record!: CommentRecord;

  static from(record: CommentRecord): Comment {
    return Object.assign(new Comment(), { id: toGlobalId('Comment', record.id), body: record.body, createdAt: record.createdAt, record });
  }
}
