import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ForwardRecord } from '@headwaters/items';

const FORWARD_COLUMNS = `f.id, f.item_id AS "itemId", f.kind, f.state, f.upstream_id AS "upstreamId", f.reference, f.forwarded_at AS "forwardedAt",
  f.url, f.remote_status AS "remoteStatus", f.last_checked_at AS "lastCheckedAt", f.check_error AS "checkError"`;

/** Forwards by their own ids (for `node(id:)`); an item's forwards come with the item. */
@Injectable()
export class ForwardQueries {
  constructor(private readonly dataSource: DataSource) {}

  async byIds(ids: readonly number[]): Promise<(ForwardRecord | null)[]> {
    const rows = await this.dataSource.query<ForwardRecord[]>(`SELECT ${FORWARD_COLUMNS} FROM forward f WHERE f.id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
