import { Injectable, Module } from '@nestjs/common';
import type { SqlRunner } from '@headwaters/core';
import type { RouteDecider, RouteDecision } from '@headwaters/items';

// Temporary until the routing library lands in this branch: replaced by RoutingService at merge.
@Injectable()
class InterimDecider implements RouteDecider {
  async decide(tx: SqlRunner, componentId: number | null): Promise<RouteDecision> {
    const rows = await tx.query<{ id: number; name: string }[]>(
      componentId === null
        ? `SELECT id, name FROM upstream WHERE slug = 'xenserver'`
        : `WITH RECURSIVE up AS (SELECT id, parent_id, owner_id, 0 AS d FROM component WHERE id = $1
             UNION ALL SELECT c.id, c.parent_id, c.owner_id, up.d + 1 FROM component c JOIN up ON c.id = up.parent_id)
           SELECT u.id, u.name FROM up JOIN upstream u ON u.id = up.owner_id ORDER BY up.d LIMIT 1`,
      componentId === null ? [] : [componentId],
    );
    if (!rows[0]) throw new Error('no upstream to route to');
    return { upstreamId: rows[0].id, componentId, reason: `owned by ${rows[0].name}` };
  }
}

@Module({ providers: [InterimDecider], exports: [InterimDecider] })
class InterimRoutingModule {}

export const ROUTE_DECIDER_BINDING = { imports: [InterimRoutingModule], routeDecider: InterimDecider };
