import type { InboundMail } from './inbound-mail';

/** Where a reply lands and what the listener knows about Headwaters' own addresses. */
export interface MailDomain {
  /** The domain of MAIL_FROM: `item-N@` it is an item's address. */
  domain: string;
  /** The hosts Headwaters' Message-IDs end in (MAIL_FROM's domain, and any other it uses). */
  messageIdHosts: readonly string[];
}

/** The item a Message-ID of ours was sent for: `<item-N.forward-K@host>`, `<item-N.event-K@host>`, `<item-N@host>`. */
export function itemOfMessageId(id: string, hosts: readonly string[]): number | null {
  const at = id.lastIndexOf('@');
  if (at < 0) return null;
  const host = id.slice(at + 1).toLowerCase();
  if (!hosts.some((h) => h.toLowerCase() === host)) return null;
  const m = /^item-(\d{1,9})(?:[.+-].*)?$/.exec(id.slice(0, at));
  return m ? Number(m[1]) : null;
}

/** How a mail was matched to an item. */
export type ItemMatch = { number: number; via: 'in-reply-to' | 'address' };

/** The item a reply is about: a Message-ID of ours it answers, else an `item-N@domain` recipient. */
export function itemOfMail(mail: InboundMail, where: MailDomain): ItemMatch | null {
  for (const id of mail.inReplyTo) {
    const n = itemOfMessageId(id, where.messageIdHosts);
    if (n !== null) return { number: n, via: 'in-reply-to' };
  }
  const domain = where.domain.toLowerCase();
  for (const rcpt of mail.recipients) {
    const m = /^item-(\d{1,9})(?:\+[^@]*)?@(.+)$/.exec(rcpt);
    if (m && m[2] === domain) return { number: Number(m[1]), via: 'address' };
  }
  return null;
}

/**
 * Why a mail must not be answered or posted, or null: machines' mail (Auto-Submitted other than
 * "no", RFC 3834), and our own mail come back (a Message-ID we generated, our X-Loop).
 */
export function loopReason(mail: InboundMail, where: MailDomain): string | null {
  const auto = (mail.headers['auto-submitted'] ?? '').split(';')[0].trim().toLowerCase();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  // Headwaters' Message-IDs all end in one of its hosts: one of them arriving here is our own mail come back.
  const host = mail.messageId?.slice(mail.messageId.lastIndexOf('@') + 1).toLowerCase();
  if (host && mail.messageId!.includes('@') && where.messageIdHosts.some((h) => h.toLowerCase() === host)) return 'it carries a Message-ID Headwaters generated';
  if ((mail.headers['x-loop'] ?? '').toLowerCase().includes(where.domain.toLowerCase())) return 'X-Loop names this tracker';
  return null;
}

/** Whether the mail came through the upstream's mailing list (its List-Id or List-Post names the list's address). */
export function fromMailingList(mail: InboundMail, mailingList: string | null): boolean {
  if (!mailingList) return false;
  const list = mailingList.trim().toLowerCase();
  const [local, host] = list.split('@');
  const post = (mail.headers['list-post'] ?? '').toLowerCase();
  if (post.includes(`mailto:${list}`)) return true;
  // List-Id: Xen API <xen-api.lists.xenproject.org> — the list's address with '@' as '.'.
  const id = /<([^>]+)>/.exec(mail.headers['list-id'] ?? '')?.[1]?.toLowerCase() ?? (mail.headers['list-id'] ?? '').trim().toLowerCase();
  return id !== '' && host !== undefined && id === `${local}.${host}`;
}

/** The Debian bug a BTS acknowledgement is for ("Bug#123456: Acknowledgement ..." or X-Debian-PR-Message: ack 123456). */
export function debianAcknowledgement(mail: InboundMail): number | null {
  const header = /^ack\s+(\d{1,9})\b/i.exec(mail.headers['x-debian-pr-message'] ?? '');
  if (header) return Number(header[1]);
  const subject = /^Bug#(\d{1,9}): Acknowledgement\b/i.exec(mail.subject.trim());
  return subject ? Number(subject[1]) : null;
}
