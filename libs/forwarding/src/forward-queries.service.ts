import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FORWARD_RECORD_COLUMNS, type ForwardRecord } from '@headwaters/items';

/** Forwards by their own ids (for `node(id:)`); an item's come with it, or from ItemQueryService.forwardsOf for a list's. */
@Injectable()
export class ForwardQueries {
  constructor(private readonly dataSource: DataSource) {}

  async byIds(ids: readonly number[]): Promise<(ForwardRecord | null)[]> {
    const rows = await this.dataSource.query<ForwardRecord[]>(`SELECT ${FORWARD_RECORD_COLUMNS} FROM forward f WHERE f.id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
