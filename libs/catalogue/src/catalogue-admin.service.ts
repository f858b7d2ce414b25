import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { slugNotFound, type Actor, type SqlRunner } from '@headwaters/core';
import { catalogueError } from './catalogue.reasons';
import { authorize } from '@headwaters/identity';
import { CatalogueReader } from './catalogue-reader';
import type { CatalogueSnapshot } from './catalogue-snapshot';
import {
  COMPONENT_SLUG, RELEASE_SLUG, UPSTREAM_SLUG, WEBHOOK_SECRET_MIN_LENGTH,
  type ComponentRecord, type ForwardingMethod, type ReleaseRecord, type TrackerKind, type UpstreamRecord,
} from './catalogue.records';

/** Told, inside the transaction, when the owner of these components may have changed. */
export type OwnershipListener = (tx: SqlRunner, componentIds: number[], actorId: number) => Promise<void>;

export interface UpstreamFields {
  name?: string;
  forwarding?: ForwardingMethod;
  homepage?: string | null;
  mailingList?: string | null;
  ircChannel?: string | null;
  trackerUrl?: string | null;
  webhookUrl?: string | null;
  trackerKind?: TrackerKind;
  /** Write-only: signs webhook POSTs; null clears it. */
  webhookSecret?: string | null;
}

export interface ComponentFields {
  name?: string;
  description?: string | null;
  /** null: make it a root. */
  parentSlug?: string | null;
  /** null: inherit the parent's owner again. */
  ownerSlug?: string | null;
  /** The upstream's own name for it; null clears it. */
  packageName?: string | null;
}

export interface ReleaseFields {
  name?: string;
  releasedAt?: Date | null;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Admins' management of the catalogue. Every change runs in one transaction, and a change of
 * ownership (a component's owner or parent, an upstream retired) re-routes the items that
 * follow it in that same transaction, through the registered ownership listeners.
 */
@Injectable()
export class CatalogueAdminService {
  private readonly listeners: OwnershipListener[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  onOwnershipChange(listener: OwnershipListener): void {
    this.listeners.push(listener);
  }

  createUpstream(actor: Actor | null, slug: string, fields: UpstreamFields & { name: string; forwarding: ForwardingMethod }): Promise<UpstreamRecord> {
    authorize(actor, 'catalogue.manage');
    if (!UPSTREAM_SLUG.test(slug)) throw catalogueError('INVALID_SLUG', 'slug must be lower-case letters, digits and dashes (e.g. xen-project)', 'slug');
    checkSecret(fields.webhookSecret);
    checkForwarding({ ...fields, hasWebhookSecret: !!fields.webhookSecret });
    return this.write(async (tx) => {
      const [{ id }] = await uniquely(slug, () =>
        tx.query<{ id: number }[]>(
          `INSERT INTO upstream (slug, name, forwarding, homepage, mailing_list, irc_channel, tracker_url, webhook_url, tracker_kind, webhook_secret)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            slug, fields.name, fields.forwarding, fields.homepage ?? null, fields.mailingList ?? null, fields.ircChannel ?? null, fields.trackerUrl ?? null,
            fields.webhookUrl ?? null, fields.trackerKind ?? 'NONE', fields.webhookSecret ?? null,
          ],
        ),
      );
      return (await this.reader.fresh(tx)).upstreams.get(id)!;
    });
  }

  updateUpstream(actor: Actor | null, slug: string, fields: UpstreamFields): Promise<UpstreamRecord> {
    authorize(actor, 'catalogue.manage');
    checkSecret(fields.webhookSecret);
    return this.write(async (tx) => {
      const current = (await this.reader.fresh(tx)).upstreamBySlug(slug);
      if (!current) throw slugNotFound('upstream', slug, 'slug');
      const { webhookSecret, ...rest } = fields;
      const next = { ...current, ...defined(rest) };
      checkForwarding({ ...next, hasWebhookSecret: webhookSecret === undefined ? current.hasWebhookSecret : webhookSecret !== null });
      await tx.query(
        `UPDATE upstream SET name = $2, forwarding = $3, homepage = $4, mailing_list = $5, irc_channel = $6, tracker_url = $7, webhook_url = $8, tracker_kind = $9,
           webhook_secret = CASE WHEN $10 THEN $11 ELSE webhook_secret END, updated_at = now() WHERE id = $1`,
        [current.id, next.name, next.forwarding, next.homepage, next.mailingList, next.ircChannel, next.trackerUrl, next.webhookUrl, next.trackerKind, webhookSecret !== undefined, webhookSecret ?? null],
      );
      return (await this.reader.fresh(tx)).upstreams.get(current.id)!;
    });
  }

  /** Retires an upstream: no new ownership, and the open items it owned go to the distribution. */
  retireUpstream(actor: Actor | null, slug: string): Promise<UpstreamRecord> {
    const admin = authorize(actor, 'catalogue.manage');
    return this.write(async (tx) => {
      const snapshot = await this.reader.fresh(tx);
      const upstream = snapshot.upstreamBySlug(slug);
      if (!upstream) throw slugNotFound('upstream', slug, 'slug');
      if (upstream.slug === 'xenserver') throw catalogueError('DISTRIBUTION', 'The distribution upstream cannot be retired: unowned items go there', 'slug');
      if (upstream.retiredAt) return upstream;
      await tx.query(`UPDATE upstream SET retired_at = now(), updated_at = now() WHERE id = $1`, [upstream.id]);
      const owned = [...snapshot.components.values()].filter((c) => c.ownerId === upstream.id).flatMap((c) => snapshot.subtree(c.id).map((s) => s.id));
      await this.notify(tx, owned, admin.userId);
      return (await this.reader.fresh(tx)).upstreams.get(upstream.id)!;
    });
  }

  createComponent(actor: Actor | null, slug: string, fields: ComponentFields & { name: string }): Promise<ComponentRecord> {
    authorize(actor, 'catalogue.manage');
    if (!COMPONENT_SLUG.test(slug)) throw catalogueError('INVALID_SLUG', 'slug must be lower-case letters, digits and dashes, with "/" between levels (e.g. xapi/xenopsd)', 'slug');
    return this.write(async (tx) => {
      const snapshot = await this.reader.fresh(tx);
      const parent = fields.parentSlug ? snapshot.componentBySlug(fields.parentSlug) : undefined;
      if (fields.parentSlug && !parent) throw slugNotFound('component', fields.parentSlug, 'parentSlug');
      const owner = ownerOf(snapshot, fields.ownerSlug);
      if (!parent && !owner) throw catalogueError('OWNER_REQUIRED', 'ownerSlug: a root component needs an owner (a child without one inherits its parent\'s)', 'ownerSlug');
      const [{ id }] = await uniquely(slug, () =>
        tx.query<{ id: number }[]>(`INSERT INTO component (slug, name, description, parent_id, owner_id, package_name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
          slug, fields.name, fields.description ?? null, parent?.id ?? null, owner?.id ?? null, fields.packageName ?? null,
        ]),
      );
      return (await this.reader.fresh(tx)).components.get(id)!;
    });
  }

  /** Renames, re-describes, moves or re-owns a component; the items that follow it are re-routed. */
  updateComponent(actor: Actor | null, slug: string, fields: ComponentFields): Promise<ComponentRecord> {
    const admin = authorize(actor, 'catalogue.manage');
    return this.write(async (tx) => {
      const snapshot = await this.reader.fresh(tx);
      const component = snapshot.componentBySlug(slug);
      if (!component) throw slugNotFound('component', slug, 'slug');
      let parentId = component.parentId;
      if (fields.parentSlug !== undefined) {
        const parent = fields.parentSlug === null ? undefined : snapshot.componentBySlug(fields.parentSlug);
        if (fields.parentSlug !== null && !parent) throw slugNotFound('component', fields.parentSlug, 'parentSlug');
        if (parent && snapshot.wouldCycle(component.id, parent.id)) {
          throw catalogueError('CYCLE', `parentSlug: ${parent.slug} is ${parent.id === component.id ? 'the component itself' : `inside ${component.slug}`}; a component cannot be its own ancestor`, 'parentSlug');
        }
        parentId = parent?.id ?? null;
      }
      let ownerId = component.ownerId;
      if (fields.ownerSlug !== undefined) ownerId = ownerOf(snapshot, fields.ownerSlug)?.id ?? null;
      if (parentId === null && ownerId === null) throw catalogueError('OWNER_REQUIRED', 'ownerSlug: a root component needs an owner', 'ownerSlug');
      await tx.query(`UPDATE component SET name = $2, description = $3, parent_id = $4, owner_id = $5, package_name = $6, updated_at = now() WHERE id = $1`, [
        component.id,
        fields.name ?? component.name,
        fields.description === undefined ? component.description : fields.description,
        parentId,
        ownerId,
        fields.packageName === undefined ? component.packageName : fields.packageName,
      ]);
      if (parentId !== component.parentId || ownerId !== component.ownerId) {
        await this.notify(tx, snapshot.subtree(component.id).map((c) => c.id), admin.userId);
      }
      return (await this.reader.fresh(tx)).components.get(component.id)!;
    });
  }

  createRelease(actor: Actor | null, slug: string, fields: ReleaseFields & { name: string }): Promise<ReleaseRecord> {
    authorize(actor, 'catalogue.manage');
    if (!RELEASE_SLUG.test(slug)) throw catalogueError('INVALID_SLUG', 'slug must be lower-case letters, digits, dots and dashes (e.g. xenserver-6.2)', 'slug');
    return this.write(async (tx) => {
      const [{ id }] = await uniquely(slug, () =>
        tx.query<{ id: number }[]>(`INSERT INTO release (slug, name, released_at) VALUES ($1, $2, $3) RETURNING id`, [slug, fields.name, fields.releasedAt ?? null]),
      );
      return (await this.reader.fresh(tx)).releases.get(id)!;
    });
  }

  updateRelease(actor: Actor | null, slug: string, fields: ReleaseFields & { retired?: boolean }): Promise<ReleaseRecord> {
    authorize(actor, 'catalogue.manage');
    return this.write(async (tx) => {
      const release = (await this.reader.fresh(tx)).releaseBySlug(slug);
      if (!release) throw slugNotFound('release', slug, 'slug');
      const retiredAt = fields.retired === undefined ? release.retiredAt : fields.retired ? (release.retiredAt ?? new Date()) : null;
      await tx.query(`UPDATE release SET name = $2, released_at = $3, retired_at = $4, updated_at = now() WHERE id = $1`, [
        release.id, fields.name ?? release.name, fields.releasedAt === undefined ? release.releasedAt : fields.releasedAt, retiredAt,
      ]);
      return (await this.reader.fresh(tx)).releases.get(release.id)!;
    });
  }

  private async write<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.reader.invalidate();
    }
  }

  private async notify(tx: SqlRunner, componentIds: number[], actorId: number): Promise<void> {
    if (componentIds.length === 0) return;
    for (const listener of this.listeners) await listener(tx, componentIds, actorId);
  }
}


function ownerOf(snapshot: CatalogueSnapshot, slug: string | null | undefined): UpstreamRecord | undefined {
  if (!slug) return undefined;
  const owner = snapshot.upstreamBySlug(slug);
  if (!owner) throw slugNotFound('upstream', slug, 'ownerSlug');
  if (owner.retiredAt) throw catalogueError('UPSTREAM_RETIRED', `ownerSlug: the upstream "${slug}" is retired and cannot own components`, 'ownerSlug');
  return owner;
}

function checkSecret(secret: string | null | undefined): void {
  if (typeof secret === 'string' && secret.length < WEBHOOK_SECRET_MIN_LENGTH) {
    throw catalogueError('WEBHOOK_SECRET_TOO_SHORT', `webhookSecret must be at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`, 'webhookSecret');
  }
}

function checkForwarding(fields: { forwarding?: ForwardingMethod; mailingList?: string | null; webhookUrl?: string | null; hasWebhookSecret: boolean }): void {
  if (fields.forwarding === 'MAILING_LIST' && !fields.mailingList) {
    throw catalogueError('MAILING_LIST_REQUIRED', 'mailingList: forwarding by MAILING_LIST needs the list address', 'mailingList');
  }
  if (fields.forwarding === 'WEBHOOK' && !fields.webhookUrl) {
    throw catalogueError('WEBHOOK_REQUIRED', 'webhookUrl: forwarding by WEBHOOK needs the URL to POST to', 'webhookUrl');
  }
  if (fields.forwarding === 'WEBHOOK' && !fields.hasWebhookSecret) {
    throw catalogueError('WEBHOOK_SECRET_REQUIRED', 'webhookSecret: forwarding by WEBHOOK needs a secret to sign the POSTs with', 'webhookSecret');
  }
}

/** The fields actually given: left-out ones stay as they are, explicit nulls clear. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function uniquely<T>(slug: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if ((error as { driverError?: { code?: string }; code?: string }).driverError?.code === UNIQUE_VIOLATION || (error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw catalogueError('SLUG_TAKEN', `slug: "${slug}" is already taken`, 'slug');
    }
    throw error;
  }
}
