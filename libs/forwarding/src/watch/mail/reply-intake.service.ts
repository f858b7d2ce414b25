import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type Grant, type SqlRunner } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { CommentService, itemStore, ItemVisibility, ItemWriter } from '@headwaters/items';
import { debbugsOrigin, parseRecordUrl } from '../record-url';
import { UpstreamWatchService } from '../upstream-watch.service';
import { WatchQueue } from '../watch-queue';
import { recordName } from '../watch-summary';
import { parseInboundMail, type InboundMail } from './inbound-mail';
import { MailRefused } from './inbound-smtp.server';
import { debianAcknowledgement, fromMailingList, itemOfMail, loopReason, type MailDomain } from './mail-rules';
import { firstLines, replyText } from './reply-text';

/** What became of one received mail: for logs and tests. */
export type ReplyOutcome =
  | { kind: 'commented'; itemNumber: number; commentId: number; userId: number }
  | { kind: 'upstream-replied'; itemNumber: number; upstreamId: number }
  | { kind: 'held'; itemNumber: number; heldMailId: number | null }
  | { kind: 'linked'; itemNumber: number; forwardId: number; url: string }
  | { kind: 'dropped'; itemNumber: number | null; reason: string };

/** Where replies are addressed, from MAIL_FROM. */
export class ReplyDomain implements MailDomain {
  readonly messageIdHosts: readonly string[];
  constructor(readonly domain: string, otherHosts: readonly string[] = []) {
    this.messageIdHosts = [...new Set([domain, ...otherHosts])];
  }
}

/**
 * Replies by mail: a message answering one of Headwaters' mails for item N (or sent to
 * item-N@ its domain) becomes a comment of the user whose verified address sent it, an
 * UPSTREAM_REPLIED event when it comes through the upstream's mailing list, or is held for the
 * item's maintainers; Debian's acknowledgement links the Debian forward. Machines' mail and our
 * own are never posted.
 */
@Injectable()
export class ReplyIntakeService {
  private readonly log = new Logger('MailReplies');

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly comments: CommentService,
    private readonly writer: ItemWriter,
    private readonly watch: UpstreamWatchService,
    private readonly domain: ReplyDomain,
    private readonly queue: WatchQueue,
  ) {}

  /** The SMTP listener's handler: refuses (5xx) a mail for no item, takes every other. */
  async receive(raw: Buffer, envelope: { from: string | null; to: string[] }): Promise<ReplyOutcome> {
    const mail = await parseInboundMail(raw, envelope.to);
    const outcome = await this.take(mail);
    this.log.log(`mail ${mail.messageId ?? '(no Message-ID)'} from ${mail.from?.address ?? '?'}: ${outcome.kind}${'reason' in outcome ? ` (${outcome.reason})` : ''}`);
    return outcome;
  }

  async take(mail: InboundMail): Promise<ReplyOutcome> {
    const match = itemOfMail(mail, this.domain);
    if (!match) throw new MailRefused(`5.1.1 This mail names no item of this tracker (reply to one of its mails, or write to item-N@${this.domain.domain})`);
    const [found] = await this.dataSource.query<{ id: number }[]>(`SELECT id FROM item WHERE number = $1`, [match.number]);
    if (!found) throw new MailRefused(`5.1.1 No item #${match.number} here`);
    const bug = debianAcknowledgement(mail);
    if (bug !== null) {
      const linked = await this.acknowledge(found.id, match.number, bug);
      this.queue.wakeChecks();
      return linked;
    }
    const loop = loopReason(mail, this.domain);
    if (loop) return { kind: 'dropped', itemNumber: match.number, reason: loop };
    const text = replyText(mail.text);
    if (!text) return { kind: 'dropped', itemNumber: match.number, reason: 'nothing but quoted text' };
    if (!mail.from) return { kind: 'dropped', itemNumber: match.number, reason: 'no sender' };

    const [user] = await this.dataSource.query<{ id: number; username: string }[]>(
      `SELECT id, username FROM app_user WHERE lower(email) = $1 AND email_verified_at IS NOT NULL ORDER BY id LIMIT 1`,
      [mail.from.address],
    );
    if (user) {
      const grants = await this.dataSource.query<Grant[]>(`SELECT role, upstream_id AS "upstreamId", component_id AS "componentId" FROM role_grant WHERE user_id = $1`, [user.id]);
      const actor: Actor = { userId: user.id, username: user.username, grants };
      const item = await itemStore.get(this.dataSource, found.id);
      // An embargoed report takes comments only from those who may see it; anyone else's reply waits for its maintainers.
      if (ItemVisibility.of(actor, await this.reader.fresh(this.dataSource)).allows(item)) {
        const comment = await this.comments.addComment(actor, found.id, text);
        return { kind: 'commented', itemNumber: match.number, commentId: comment.id, userId: user.id };
      }
    }
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, found.id);
      const snapshot = await this.reader.fresh(tx);
      const upstreamIds = [item.route.upstreamId, ...item.forwards.map((f) => f.upstreamId)];
      const list = upstreamIds.map((id) => snapshot.upstreams.get(id)).find((u) => u && fromMailingList(mail, u.mailingList));
      if (list) {
        if (await this.seen(tx, item.id, mail.messageId)) return { kind: 'dropped', itemNumber: match.number, reason: 'already taken' } as const;
        const sender = mail.from!.name ? `${mail.from!.name} <${mail.from!.address}>` : mail.from!.address;
        await this.writer.touch(tx, item.id);
        await recordEvents(tx, [{
          itemId: item.id,
          type: 'UPSTREAM_REPLIED',
          actorId: null,
          summary: `${sender} replied on ${list.mailingList}: ${firstLines(text)}`,
          data: { upstreamId: list.id, from: mail.from!.address, messageId: mail.messageId, excerpt: firstLines(text, 1000) },
        }]);
        return { kind: 'upstream-replied', itemNumber: match.number, upstreamId: list.id } as const;
      }
      const [held] = await tx.query<{ id: number }[]>(
        `INSERT INTO held_mail (item_id, sender, sender_name, subject, body, message_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (item_id, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING id`,
        [item.id, mail.from!.address, mail.from!.name.slice(0, 200), mail.subject.slice(0, 500), text, mail.messageId],
      );
      return { kind: 'held', itemNumber: match.number, heldMailId: held?.id ?? null } as const;
    });
  }

  /** Debian's BTS acknowledged the forwarded report: the item's Debian forward is linked to the bug. */
  private acknowledge(itemId: number, itemNumber: number, bug: number): Promise<ReplyOutcome> {
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const forward = item.forwards.find((f) => snapshot.upstreams.get(f.upstreamId)?.trackerKind === 'DEBBUGS');
      if (!forward) return { kind: 'dropped', itemNumber, reason: `an acknowledgement of bug #${bug}, but #${itemNumber} has no forward to a debbugs tracker` } as const;
      const upstream = snapshot.upstreams.get(forward.upstreamId)!;
      const record = parseRecordUrl('DEBBUGS', String(bug), debbugsOrigin(upstream));
      await this.watch.link(tx, item.id, forward, upstream, record, { actorId: null, summary: `${upstream.name} acknowledged the report as ${recordName(record)}` });
      return { kind: 'linked', itemNumber, forwardId: forward.id, url: record.url } as const;
    });
  }

  private async seen(tx: SqlRunner, itemId: number, messageId: string | null): Promise<boolean> {
    if (!messageId) return false;
    const rows = await tx.query<unknown[]>(`SELECT 1 FROM timeline_event WHERE item_id = $1 AND type = 'UPSTREAM_REPLIED' AND data->>'messageId' = $2 LIMIT 1`, [itemId, messageId]);
    return rows.length > 0;
  }
}
