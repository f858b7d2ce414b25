/** An integrator's webhook, as services return it (never its secret). */
export interface WebhookRecord {
  id: number;
  url: string;
  upstreamId: number | null;
  componentId: number | null;
  createdById: number | null;
  createdAt: Date;
}

export const WEBHOOK_COLUMNS = `w.id, w.url, w.upstream_id AS "upstreamId", w.component_id AS "componentId", w.created_by_id AS "createdById", w.created_at AS "createdAt"`;

/** Shortest secret accepted: it keys the HMAC receivers check. */
export const WEBHOOK_SECRET_MIN = 16;
export const WEBHOOK_SECRET_MAX = 200;
export const WEBHOOK_URL_MAX = 2000;
