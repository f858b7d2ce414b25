import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '@headwaters/core';
import { outsideQueryScope, prepared } from '@headwaters/database';
import { CatalogueSnapshot } from './catalogue-snapshot';
import type { ComponentRecord, ReleaseRecord, UpstreamRecord } from './catalogue.records';

/** How long another process's catalogue edit may take to show here; this process's show at once. */
const CACHE_MS = 1000;

type Dated<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] };

const date = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** The catalogue's version as a statement sees it (raised by every change of an upstream, component or release). */
const VERSION_SQL = prepared(`SELECT version FROM catalogue_version`);

/** Reads the whole catalogue in one statement. */
export async function loadSnapshot(db: SqlRunner): Promise<CatalogueSnapshot> {
  const [row] = await db.query<{ upstreams: Dated<UpstreamRecord>[]; components: Dated<ComponentRecord>[]; releases: Dated<ReleaseRecord>[]; version: string }[]>(
    `SELECT (SELECT version FROM catalogue_version) AS version,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'name', name, 'homepage', homepage, 'mailingList', mailing_list,
          'ircChannel', irc_channel, 'trackerUrl', tracker_url, 'webhookUrl', webhook_url, 'forwarding', forwarding, 'trackerKind', tracker_kind, 'hasWebhookSecret', webhook_secret IS NOT NULL, 'retiredAt', retired_at)), '[]') FROM upstream) AS upstreams,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'name', name, 'description', description, 'parentId', parent_id,
          'ownerId', owner_id, 'packageName', package_name, 'retiredAt', retired_at)), '[]') FROM component) AS components,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'slug', slug, 'name', name, 'releasedAt', released_at, 'retiredAt', retired_at)), '[]') FROM release) AS releases`,
  );
  return new CatalogueSnapshot(
    row.upstreams.map((u) => ({ ...u, retiredAt: date(u.retiredAt) })),
    row.components.map((c) => ({ ...c, retiredAt: date(c.retiredAt) })),
    row.releases.map((r) => ({ ...r, releasedAt: date(r.releasedAt), retiredAt: date(r.retiredAt) })),
    row.version === null ? null : Number(row.version),
  );
}

/**
 * The catalogue for reads, kept in memory: it is small and read by nearly every request (owners,
 * routes, releases of items), so serving it from memory saves a statement per request. Edits made
 * here clear it at once; edits by another instance show within a second. Writes and routing
 * decisions read it fresh inside their transaction instead (`fresh`).
 */
@Injectable()
export class CatalogueReader {
  private cached?: CacheEntry;
  /** The last catalogue loaded and not forgotten since, once its load has finished. */
  private loaded?: CatalogueSnapshot;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The cached catalogue. Every request waiting meanwhile shares one load, so it runs outside the
   * scope of the request that happened to start it: that client going away must not cancel the
   * load (and answer 503 to everyone else waiting on it).
   */
  snapshot(): Promise<CatalogueSnapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const snapshot = outsideQueryScope(() => loadSnapshot(this.dataSource));
      const entry: CacheEntry = { at: now, snapshot };
      this.cached = entry;
      snapshot.then(
        (loaded) => {
          if (this.cached !== entry) return;
          this.loaded = loaded;
          entry.loaded = loaded;
        },
        () => {
          if (this.cached === entry) this.cached = undefined;
        },
      );
    }
    return this.cached.snapshot;
  }

  /**
   * What {@link snapshot} would resolve to, when that is known at once: the cached catalogue, loaded
   * and still fresh. Undefined when a load is due or under way. Lets a reader answer without a
   * promise (a page's items each ask for their component).
   */
  current(): CatalogueSnapshot | undefined {
    const cached = this.cached;
    return cached && Date.now() - cached.at <= CACHE_MS ? cached.loaded : undefined;
  }

  /**
   * The catalogue as the transaction sees it: the copy in memory when the catalogue's version, read
   * by the transaction, is still the copy's (one small statement), or else read whole. A write
   * may instead decide from {@link snapshot} and check its `version` in its own statement (filing
   * does), reading this only when the catalogue changed meanwhile. Never waits for a load running
   * on another connection: a transaction holding one must not wait for a second.
   */
  async fresh(tx: SqlRunner): Promise<CatalogueSnapshot> {
    const loaded = this.loaded;
    if (loaded && loaded.version !== null) {
      const [row] = await tx.query<{ version: string }[]>(VERSION_SQL);
      if (row && Number(row.version) === loaded.version) return loaded;
    }
    return loadSnapshot(tx);
  }

  /** Forgets the cached catalogue (after an edit commits). */
  invalidate(): void {
    this.cached = undefined;
    this.loaded = undefined;
  }
}

interface CacheEntry {
  readonly at: number;
  readonly snapshot: Promise<CatalogueSnapshot>;
  /** What `snapshot` gave, once it has. */
  loaded?: CatalogueSnapshot;
}
