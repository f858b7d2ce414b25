import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { itemsError } from '../items.reasons';
import { authorize } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRow } from '../item.record';
import { ItemVisibility } from '../visibility/item-visibility';
import { sniffContentType, SNIFF_BYTES } from './sniff';
import { ItemWriter } from '../writes/item-writer';

/** A file attached to an item. */
export interface AttachmentRecord {
  id: number;
  itemId: number;
  uploaderId: number;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

/** A file on its way in: its name as the client gave it, and its bytes as they arrive. */
export interface Upload {
  filename: string;
  content: AsyncIterable<Uint8Array>;
}

/** Files are stored as rows of this many bytes: what is held in memory at once, in and out. */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

/** The code of the error for a file over the limit (the HTTP route answers it with 413). */
export const ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE' as const;

const COLUMNS = `a.id, a.item_id AS "itemId", a.uploader_id AS "uploaderId", a.filename, a.content_type AS "contentType", a.size::int AS size, a.created_at AS "createdAt"`;

/** The last part of a client's file name, without control characters, quotes or slashes; at most 255 characters. */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'attachment' : clean;
}

/**
 * Attachments (logs, status reports, screenshots), stored in PostgreSQL in chunks of
 * {@link ATTACHMENT_CHUNK_BYTES}: streamed in as they arrive and out as they are read, never
 * held whole in memory. Whoever may comment on an item may attach to it; the content type comes
 * from the bytes, never from the client.
 */
@Injectable()
export class AttachmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueReader,
    private readonly writer: ItemWriter,
  ) {}

  /**
   * Stores a file on item #`itemNumber`, with an ATTACHED event, in one transaction: a file
   * over `maxBytes` (BAD_USER_INPUT, code {@link ATTACHMENT_TOO_LARGE}), or one cut short,
   * leaves nothing behind.
   */
  async attach(actor: Actor | null, itemNumber: number, upload: Upload, maxBytes: number): Promise<AttachmentRecord> {
    const uploader = authorize(actor, 'item.attach');
    const visibility = ItemVisibility.of(uploader, await this.catalogue.snapshot());
    const filename = cleanFilename(upload.filename);
    // Not retried (inTransaction): the file streams in once.
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<ItemRow[]>(`SELECT ${ITEM_COLUMNS} FROM item i WHERE i.number = $1 FOR SHARE`, [itemNumber]);
      const item = row ? itemFromRow(row) : null;
      if (!item || !visibility.allows(item)) throw itemsError('ITEM_NOT_FOUND', `No item #${itemNumber}`, 'number');
      const [{ id }] = await tx.query<{ id: number }[]>(
        `INSERT INTO attachment (item_id, uploader_id, filename, content_type, size, sha256) VALUES ($1, $2, $3, '', 0, '\\x') RETURNING id`,
        [item.id, uploader.userId, filename],
      );
      const { size, head, sha256 } = await this.storeChunks(tx, id, upload.content, maxBytes);
      const [stored] = await tx.query<AttachmentRecord[]>(
        `WITH changed AS (UPDATE attachment SET content_type = $2, size = $3, sha256 = $4 WHERE id = $1 RETURNING *) SELECT ${COLUMNS} FROM changed a`,
        [id, sniffContentType(head), size, sha256],
      );
      await this.writer.touch(tx, item.id);
      await recordEvents(tx, [
        { itemId: item.id, type: 'ATTACHED', actorId: uploader.userId, summary: `${uploader.username} attached ${filename}`, data: { attachmentId: id } },
      ]);
      return stored;
    });
  }

  private async storeChunks(tx: SqlRunner, attachmentId: number, content: AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ size: number; head: Uint8Array; sha256: Buffer }> {
    const hash = createHash('sha256');
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    let head: Uint8Array | null = null;
    const flush = async () => {
      const chunk = Buffer.concat(pending, pendingBytes);
      head ??= chunk.subarray(0, SNIFF_BYTES);
      pending = [];
      pendingBytes = 0;
      await tx.query(`INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES ($1, $2, $3)`, [attachmentId, seq++, chunk]);
    };
    for await (const piece of content) {
      size += piece.length;
      if (size > maxBytes) throw itemsError('ATTACHMENT_TOO_LARGE', `file: attachments are at most ${maxBytes} bytes`, 'file');
      hash.update(piece);
      let offset = 0;
      while (offset < piece.length) {
        const take = Math.min(piece.length - offset, ATTACHMENT_CHUNK_BYTES - pendingBytes);
        pending.push(Buffer.from(piece.buffer, piece.byteOffset + offset, take));
        pendingBytes += take;
        offset += take;
        if (pendingBytes === ATTACHMENT_CHUNK_BYTES) await flush();
      }
    }
    if (pendingBytes > 0 || seq === 0) await flush();
    return { size, head: head ?? new Uint8Array(), sha256: hash.digest() };
  }

  /** Each item's attachments, oldest first (items in key order). */
  async byItemIds(itemIds: readonly number[]): Promise<AttachmentRecord[][]> {
    const rows = await this.dataSource.query<AttachmentRecord[]>(`SELECT ${COLUMNS} FROM attachment a WHERE a.item_id = ANY($1) ORDER BY a.id`, [itemIds]);
    return itemIds.map((id) => rows.filter((r) => r.itemId === id));
  }

  /** Attachments by id, in key order; null where there is none or the viewer may not see its item. */
  async byIds(ids: readonly number[], visibility: ItemVisibility): Promise<(AttachmentRecord | null)[]> {
    const params: unknown[] = [ids];
    const rows = await this.dataSource.query<AttachmentRecord[]>(
      `SELECT ${COLUMNS} FROM attachment a JOIN item i ON i.id = a.item_id WHERE a.id = ANY($1) AND ${visibility.sql('i', params)}`,
      params,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * The attachment and its bytes, read a chunk at a time as the consumer asks for them; null
   * when there is none or the viewer may not see its item (it does not exist for them).
   */
  async open(id: number, visibility: ItemVisibility): Promise<{ record: AttachmentRecord; content: AsyncIterable<Buffer> } | null> {
    const [record] = await this.byIds([id], visibility);
    if (!record) return null;
    const dataSource = this.dataSource;
    async function* content(): AsyncIterable<Buffer> {
      for (let seq = 0; ; seq++) {
        const [chunk] = await dataSource.query<{ data: Buffer }[]>(`SELECT data FROM attachment_chunk WHERE attachment_id = $1 AND seq = $2`, [id, seq]);
        if (!chunk) return;
        if (chunk.data.length > 0) yield chunk.data;
      }
    }
    return { record, content: content() };
  }
}
