import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { DomainError, type Actor, type SqlRunner } from '@headwaters/core';
import { keysetSql, sliceInMemory, sliceOf, type PageQuery, type PageSlice } from '@headwaters/database';
import { DELIVERY_COLUMNS, type DeliveryRecord } from '@headwaters/forwarding';
import { isAdmin } from '@headwaters/identity';
import { WEBHOOK_COLUMNS, WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MIN, WEBHOOK_URL_MAX, type WebhookRecord } from './webhook.records';

export interface NewWebhook {
  url: string;
  secret: string;
  upstreamSlug?: string | null;
  componentSlug?: string | null;
}

/**
 * Integrators' webhooks: a URL told (signed, as forwards are) of every event on the public items
 * in its scope: an upstream's items, a component subtree's, or every item. Admins manage any;
 * maintainers those of their upstream or component.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueReader,
  ) {}

  async create(actor: Actor | null, input: NewWebhook): Promise<WebhookRecord> {
    const url = checkUrl(input.url);
    const secret = input.secret;
    if (typeof secret !== 'string' || secret.length < WEBHOOK_SECRET_MIN || secret.length > WEBHOOK_SECRET_MAX) {
      throw DomainError.invalid('INVALID_WEBHOOK_SECRET', `secret must be ${WEBHOOK_SECRET_MIN} to ${WEBHOOK_SECRET_MAX} characters`, 'secret');
    }
    if (input.upstreamSlug && input.componentSlug) throw DomainError.invalid('WEBHOOK_SCOPE', 'give upstreamSlug or componentSlug, not both', 'componentSlug');
    const snapshot = await this.catalogue.snapshot();
    let upstreamId: number | null = null;
    let componentId: number | null = null;
    if (input.upstreamSlug) {
      const upstream = snapshot.upstreamBySlug(input.upstreamSlug);
      if (!upstream) throw DomainError.notFound('UPSTREAM_NOT_FOUND', `upstreamSlug: no upstream has the slug "${input.upstreamSlug}"`, 'upstreamSlug');
      upstreamId = upstream.id;
    }
    if (input.componentSlug) {
      const component = snapshot.componentBySlug(input.componentSlug);
      if (!component) throw DomainError.notFound('COMPONENT_NOT_FOUND', `componentSlug: no component has the slug "${input.componentSlug}"`, 'componentSlug');
      componentId = component.id;
    }
    const who = this.authorizeScope(actor, upstreamId, componentId, snapshot);
    const [row] = await this.dataSource.query<WebhookRecord[]>(
      `INSERT INTO webhook AS w (url, secret, upstream_id, component_id, created_by_id) VALUES ($1, $2, $3, $4, $5) RETURNING ${WEBHOOK_COLUMNS}`,
      [url, secret, upstreamId, componentId, who.userId],
    );
    return row;
  }

  /** Deletes a webhook the actor may manage; one they may not even see is NOT_FOUND. */
  async delete(actor: Actor | null, webhookId: number): Promise<void> {
    const who = signedIn(actor);
    await this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<WebhookRecord[]>(`SELECT ${WEBHOOK_COLUMNS} FROM webhook w WHERE w.id = $1 AND w.deleted_at IS NULL FOR UPDATE`, [webhookId]);
      if (!row || !this.mayManage(who, row, await this.catalogue.snapshot())) throw notFound();
      await tx.query(`UPDATE webhook SET deleted_at = now() WHERE id = $1`, [webhookId]);
    });
  }

  /** The live webhooks the actor may manage, by id (a connection page). */
  async list(actor: Actor | null, page: PageQuery): Promise<{ slice: PageSlice<WebhookRecord>; count: () => Promise<number> }> {
    const who = signedIn(actor);
    const snapshot = await this.catalogue.snapshot();
    // Few webhooks exist: read them all and keep the ones the actor manages.
    const rows = (await this.dataSource.query<WebhookRecord[]>(`SELECT ${WEBHOOK_COLUMNS} FROM webhook w WHERE w.deleted_at IS NULL ORDER BY w.id`)).filter((w) => this.mayManage(who, w, snapshot));
    return { slice: sliceInMemory(rows, page, (r) => r.id), count: async () => rows.length };
  }

  /** One webhook the actor manages, or null. */
  async byId(actor: Actor | null, webhookId: number): Promise<WebhookRecord | null> {
    if (!actor) return null;
    const [row] = await this.dataSource.query<WebhookRecord[]>(`SELECT ${WEBHOOK_COLUMNS} FROM webhook w WHERE w.id = $1 AND w.deleted_at IS NULL`, [webhookId]);
    return row && this.mayManage(actor, row, await this.catalogue.snapshot()) ? row : null;
  }

  /** The POSTs made for a webhook (one per event, and per redelivery round the same row), newest first. */
  async deliveries(webhookId: number, page: PageQuery): Promise<{ slice: PageSlice<DeliveryRecord>; count: () => Promise<number> }> {
    const params: unknown[] = [webhookId];
    // Spelled as the delivery's own columns: DELIVERY_COLUMNS names them unqualified.
    const keyset = keysetSql(['id'], 'DESC', page, params);
    const rows = await this.dataSource.query<DeliveryRecord[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM delivery
        WHERE id IN (SELECT delivery_id FROM webhook_delivery WHERE webhook_id = $1) AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      params,
    );
    return {
      slice: sliceOf(rows, page),
      count: async () => (await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1`, [webhookId]))[0].n,
    };
  }

  /**
   * Whether `actor` may redeliver a delivery: null when it is not a webhook's; true when it is one
   * of a webhook they manage; NOT_FOUND (as for the webhook itself) when they do not.
   */
  async redeliveryRight(tx: SqlRunner, actor: Actor | null, deliveryId: number): Promise<true | null> {
    const [row] = await tx.query<WebhookRecord[]>(`SELECT ${WEBHOOK_COLUMNS} FROM webhook_delivery wd JOIN webhook w ON w.id = wd.webhook_id WHERE wd.delivery_id = $1`, [deliveryId]);
    if (!row) return null;
    const who = signedIn(actor);
    if (!this.mayManage(who, row, await this.catalogue.snapshot())) throw DomainError.notFound('DELIVERY_NOT_FOUND', 'deliveryId: no such delivery', 'deliveryId');
    return true;
  }

  private authorizeScope(actor: Actor | null, upstreamId: number | null, componentId: number | null, snapshot: Awaited<ReturnType<CatalogueReader['snapshot']>>): Actor {
    const who = signedIn(actor);
    if (isAdmin(who)) return who;
    if (upstreamId === null && componentId === null) throw DomainError.forbidden('NOT_ALLOWED', 'Only admins make webhooks for every item; maintainers give their upstreamSlug or componentSlug');
    if (!this.mayManage(who, { upstreamId, componentId }, snapshot)) {
      throw DomainError.forbidden('NOT_ALLOWED', 'Only maintainers of that upstream (or of a component above it), and admins, manage its webhooks');
    }
    return who;
  }

  private mayManage(actor: Actor, webhook: Pick<WebhookRecord, 'upstreamId' | 'componentId'>, snapshot: Awaited<ReturnType<CatalogueReader['snapshot']>>): boolean {
    if (isAdmin(actor)) return true;
    if (webhook.upstreamId !== null) return actor.grants.some((g) => g.role === 'MAINTAINER' && g.upstreamId === webhook.upstreamId);
    if (webhook.componentId !== null) {
      const lineage = snapshot.lineage(webhook.componentId).map((c) => c.id);
      return actor.grants.some((g) => g.role === 'MAINTAINER' && g.componentId !== null && lineage.includes(g.componentId));
    }
    return false;
  }
}

function notFound(): DomainError {
  return DomainError.notFound('WEBHOOK_NOT_FOUND', 'webhookId names no webhook you manage', 'webhookId');
}

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw DomainError.invalid('INVALID_WEBHOOK_URL', 'url must be an http(s) URL such as https://bot.example.org/hook', 'url');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || value.length > WEBHOOK_URL_MAX || url.username || url.password) {
    throw DomainError.invalid('INVALID_WEBHOOK_URL', 'url must be an http(s) URL such as https://bot.example.org/hook (no credentials in it)', 'url');
  }
  return url.toString();
}

function signedIn(actor: Actor | null): Actor {
  if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
  return actor;
}
