import type { SqlRunner } from '@headwaters/core';

/** Where a new item goes and why, as routing decides it. */
export interface RouteDecision {
  upstreamId: number;
  componentId: number | null;
  reason: string;
}

/** Routing, as filing sees it (bound to the routing library's service by the application). */
export interface RouteDecider {
  decide(tx: SqlRunner, componentId: number | null): Promise<RouteDecision>;
}

export const ROUTE_DECIDER = Symbol('RouteDecider');
