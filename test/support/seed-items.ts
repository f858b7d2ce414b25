import type { TestApp } from './test-app';

export interface ItemSpec {
  kind?: 'BUG' | 'FEATURE';
  title: string;
  description?: string;
  status?: string;
  importance?: string;
  componentSlug?: string | null;
  upstreamSlug: string;
  reporterId: number;
  votes?: number;
  forwardState?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Inserts items straight into the database (fast, exact timestamps and counts), numbered from
 * the shared sequence like filed ones. Returns their database ids in order.
 */
export async function insertItems(app: TestApp, specs: ItemSpec[]): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    const [row] = await app.sql<{ id: number }>(
      `WITH inserted AS (
         INSERT INTO item (kind, title, description, status, importance, component_id, reporter_id, vote_count,
                           route_upstream_id, route_reason, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, (SELECT id FROM component WHERE slug = $6), $7, $8,
                u.id, 'test', coalesce($11::timestamptz, now()), coalesce($12::timestamptz, $11::timestamptz, now())
           FROM upstream u WHERE u.slug = $9
         RETURNING id, route_upstream_id)
       , forwarded AS (
         INSERT INTO forward (item_id, upstream_id, kind, state)
         SELECT id, route_upstream_id, 'ROUTED', $10::text FROM inserted WHERE $10::text IS NOT NULL)
       SELECT id FROM inserted`,
      [
        spec.kind ?? 'BUG', spec.title, spec.description ?? '', spec.status ?? 'NEW', spec.importance ?? 'UNDECIDED', spec.componentSlug ?? null,
        spec.reporterId, spec.votes ?? 0, spec.upstreamSlug, spec.forwardState ?? null, spec.createdAt ?? null, spec.updatedAt ?? null,
      ],
    );
    if (!row) throw new Error(`no upstream ${spec.upstreamSlug}`);
    ids.push(row.id);
  }
  return ids;
}
