import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordEvents } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { ItemWriter } from '@headwaters/items';
import { parseRecordUrl } from '../record-url';
import { firstLines } from '../mail/reply-text';
import { UpstreamWatchService } from '../upstream-watch.service';
import { watchStore } from '../watch-store';
import { WatchQueue } from '../watch-queue';
import { recordName } from '../watch-summary';
import { readGithubHook } from './github-event';
import { isGithubSignatureValid } from './github-signature';

/** What the webhook endpoint answers. */
export interface HookAnswer {
  status: 202 | 400 | 401 | 404;
  message: string;
}

/** The headers of a GitHub delivery that matter here (lower-case names). */
export interface HookHeaders {
  event?: string;
  delivery?: string;
  signature?: string;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * GitHub's webhooks for the issues of an upstream: a delivery is verified with the upstream's
 * webhook secret, kept once per X-GitHub-Delivery (GitHub redelivers with the same id) and
 * answered at once; a job reads it and updates the linked forwards as a check would.
 */
@Injectable()
export class GithubHookService {
  private readonly log = new Logger('GithubHooks');

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: WatchQueue,
    private readonly watch: UpstreamWatchService,
    private readonly writer: ItemWriter,
  ) {}

  /** Takes one delivery: 401 unless signed with the upstream's secret, 202 once kept (again 202 for a repeat). */
  async accept(upstreamSlug: string, headers: HookHeaders, rawBody: Buffer): Promise<HookAnswer> {
    const [upstream] = await this.dataSource.query<{ id: number; webhook_secret: string | null }[]>(`SELECT id, webhook_secret FROM upstream WHERE slug = $1`, [upstreamSlug]);
    if (!upstream) return { status: 404, message: `no upstream has the slug "${upstreamSlug}"` };
    if (!headers.signature) return { status: 401, message: 'X-Hub-Signature-256 is missing: deliveries must be signed with the upstream\'s webhook secret' };
    if (!isGithubSignatureValid(upstream.webhook_secret, rawBody, headers.signature)) return { status: 401, message: 'X-Hub-Signature-256 does not match the body signed with the upstream\'s webhook secret' };
    if (!headers.delivery || !DELIVERY_ID.test(headers.delivery)) return { status: 400, message: 'X-GitHub-Delivery is missing or malformed' };
    if (!headers.event || !/^[a-z_]{1,50}$/.test(headers.event)) return { status: 400, message: 'X-GitHub-Event is missing or malformed' };
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { status: 400, message: 'the body is not JSON (set the webhook\'s content type to application/json)' };
    }
    const fresh = await this.dataSource.transaction(async (tx) => {
      const rows = await tx.query<{ delivery_id: string }[]>(
        `INSERT INTO github_hook_delivery (delivery_id, upstream_id, event, payload) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id`,
        [headers.delivery, upstream.id, headers.event, JSON.stringify(payload)],
      );
      if (rows.length > 0) await this.queue.queueHook(tx, headers.delivery!);
      return rows.length > 0;
    });
    if (fresh) this.queue.wakeHooks();
    return { status: 202, message: fresh ? 'accepted' : 'already accepted' };
  }

  /** The job: what the delivery means for the upstream's forwards linked to its issue. Idempotent. */
  async process(deliveryId: string): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      const [delivery] = await tx.query<{ upstream_id: number; event: string; payload: unknown; processed_at: Date | null }[]>(
        `SELECT upstream_id, event, payload, processed_at FROM github_hook_delivery WHERE delivery_id = $1 FOR UPDATE`,
        [deliveryId],
      );
      if (!delivery || delivery.processed_at) return;
      const change = readGithubHook(delivery.event, delivery.payload);
      let outcome = 'ignored: nothing a forward follows';
      if (change) {
        let url: string | null = null;
        try {
          url = parseRecordUrl('GITHUB', change.issueUrl).url;
        } catch {
          outcome = `ignored: ${change.issueUrl} is not a GitHub issue URL`;
        }
        const forwards = url ? await watchStore.byUrl(tx, delivery.upstream_id, url) : [];
        if (url && forwards.length === 0) outcome = `ignored: no forward is linked to ${url}`;
        for (const forward of forwards) {
          if (change.kind === 'status') {
            await this.watch.apply(tx, forward, { reading: { notModified: false, etag: forward.remoteEtag, ...change.reading } }, change.actor);
            outcome = `status ${change.reading.remoteStatus}`;
          } else {
            const record = parseRecordUrl('GITHUB', url!);
            const excerpt = firstLines(change.body, 160);
            await this.writer.touch(tx, forward.itemId);
            await recordEvents(tx, [{
              itemId: forward.itemId,
              type: 'UPSTREAM_COMMENTED',
              actorId: null,
              summary: `${change.author} commented in ${recordName(record)}${excerpt ? `: ${excerpt}` : ''} (${change.commentUrl})`,
              data: { forwardId: forward.id, upstreamId: forward.upstreamId, author: change.author, url: change.commentUrl },
            }]);
            outcome = `comment by ${change.author}`;
          }
        }
      }
      await tx.query(`UPDATE github_hook_delivery SET processed_at = now(), outcome = $2 WHERE delivery_id = $1`, [deliveryId, outcome]);
      this.log.debug(`GitHub delivery ${deliveryId}: ${outcome}`);
    });
  }
}
