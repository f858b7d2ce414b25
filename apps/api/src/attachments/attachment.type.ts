import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AttachmentRecord } from '@headwaters/items';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { User } from '../identity/identity.types';

/** Where an attachment is downloaded from: a path on this server, ending with its file name. */
export function attachmentUrl(record: Pick<AttachmentRecord, 'id' | 'filename'>): string {
  return `/attachments/${record.id}/${encodeURIComponent(record.filename)}`;
}

@ObjectType({ implements: () => [Node], description: 'A file attached to an item: a log, a status report, a screenshot.' })
export class Attachment implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'The file name the uploader gave (without any folder).' })
  filename!: string;

  @Field({ description: 'The type told from the file\'s own bytes (never the one the uploader claimed): image/png, application/gzip, text/plain; charset=utf-8, application/octet-stream, ...' })
  contentType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;

  @Field({ description: 'Where the file is downloaded from (served as an attachment, never rendered inline): a path on this server, e.g. /attachments/12/bugtool.tar.gz.' })
  url!: string;

  @Field({ description: 'When it was uploaded.' })
  createdAt!: Date;

  @Field(() => User, { description: 'Who uploaded it.' })
  uploader?: User;

  record!: AttachmentRecord;

  static from(record: AttachmentRecord): Attachment {
    return Object.assign(new Attachment(), {
      id: toGlobalId('Attachment', record.id),
      filename: record.filename,
      contentType: record.contentType,
      size: record.size,
      url: attachmentUrl(record),
      createdAt: record.createdAt,
      record,
    });
  }
}
