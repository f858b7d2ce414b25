import { Injectable } from '@nestjs/common';
import type { CatalogueSnapshot, UpstreamRecord } from '@headwaters/catalogue';
import { AppConfig, publicUrlOf } from '@headwaters/config';
import type { SqlRunner } from '@headwaters/core';
import type { ItemRecord } from '@headwaters/items';
import { DeliveryOutbox, type DeliveryRecord } from './delivery';
import { forwardMail, forwardWebhook } from './forward-message';

/** Whether forwarding to this upstream is sent from here (a mail or a POST) rather than done by hand. */
export function sentFromHere(upstream: UpstreamRecord): boolean {
  return upstream.forwarding === 'MAILING_LIST' || upstream.forwarding === 'WEBHOOK';
}

/** Builds a forward's mail or webhook POST and writes it to the outbox, in the forward's transaction. */
@Injectable()
export class ForwardSender {
  private readonly mailHost: string;
  private readonly publicUrl: string;

  constructor(
    private readonly outbox: DeliveryOutbox,
    config: AppConfig,
  ) {
    this.mailHost = config.MAIL_FROM.split('@').pop() || 'localhost';
    this.publicUrl = publicUrlOf(config);
  }

  async send(tx: SqlRunner, item: ItemRecord, forwardId: number, upstream: UpstreamRecord, catalogue: CatalogueSnapshot): Promise<DeliveryRecord> {
    const [facts] = await tx.query<{ reporter: string; releases: string[] }[]>(
      `SELECT (SELECT username FROM app_user WHERE id = $2) AS reporter,
              coalesce((SELECT array_agg(r.slug ORDER BY r.released_at NULLS LAST, r.slug) FROM item_release ir JOIN release r ON r.id = ir.release_id WHERE ir.item_id = $1), '{}') AS releases`,
      [item.id, item.reporterId],
    );
    const context = { item, forwardId, upstream, catalogue, reporter: facts.reporter, affectedReleases: facts.releases, publicUrl: this.publicUrl, mailHost: this.mailHost };
    return this.outbox.queue(tx, upstream.forwarding === 'WEBHOOK' ? forwardWebhook(context) : forwardMail(context));
  }

  /** Whether the forward has a delivery still on its way. */
  async hasPendingDelivery(tx: SqlRunner, forwardId: number): Promise<boolean> {
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM delivery WHERE forward_id = $1 AND state = 'PENDING' LIMIT 1`, [forwardId]);
    return rows.length > 0;
  }

  /** After the transaction that queued commits: workers of this process look at once. */
  wake(): void {
    this.outbox.wake();
  }
}
