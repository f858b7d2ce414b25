import type { NotificationReason } from '../subscription.records';

/** What a notification mail is about, as read when it is queued. */
export interface NoticeFacts {
  eventId: number;
  eventType: string;
  summary: string;
  actorName: string | null;
  itemNumber: number;
  itemTitle: string;
  itemKind: 'BUG' | 'FEATURE';
  status: string;
  importance: string;
  componentSlug: string | null;
  upstreamSlug: string;
  reason: NotificationReason;
  recipient: string;
}

/** A mail ready for the outbox. */
export interface NoticeMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

const REASON_WORDS: Record<NotificationReason, string> = {
  ASSIGNED: 'you are assigned to it',
  REPORTER: 'you reported it',
  PARTICIPANT: 'you commented on it',
  VOTER: 'you voted for it',
  MAINTAINER: 'you maintain what it is routed to',
  SUBSCRIBED: 'you follow it',
};

/** The host part of Message-IDs: the public address's host name. */
export function mailHostOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** The Message-ID every mail of an item's thread refers to: its first mail's. */
export function threadIdOf(itemNumber: number, host: string): string {
  return `<item-${itemNumber}@${host}>`;
}

/**
 * One notification as a mail: one thread per item (the filing's mail is the thread's root,
 * every later event's mail answers it), `[#N] <title>` as subject, the headers filters and mail
 * clients read, and a one-click unsubscribe (RFC 8058) that ignores this item.
 */
export function notificationMail(facts: NoticeFacts, links: { publicUrl: string; unsubscribeToken: string }): NoticeMail {
  const host = mailHostOf(links.publicUrl);
  const root = threadIdOf(facts.itemNumber, host);
  const first = facts.eventType === 'FILED';
  const itemUrl = `${links.publicUrl}/items/${facts.itemNumber}`;
  const unsubscribe = `${links.publicUrl}/unsubscribe?token=${encodeURIComponent(links.unsubscribeToken)}`;
  const headers: Record<string, string> = {
    'List-Id': `Headwaters notifications <notifications.${host}>`,
    'List-Unsubscribe': `<${unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
    'Precedence': 'list',
    'X-Headwaters-Reason': facts.reason,
    'X-Headwaters-Event': facts.eventType,
    'X-Headwaters-Status': facts.status,
    'X-Headwaters-Importance': facts.importance,
    'X-Headwaters-Upstream': facts.upstreamSlug,
    'X-Headwaters-Item': String(facts.itemNumber),
  };
  if (facts.componentSlug) headers['X-Headwaters-Component'] = facts.componentSlug;
  if (!first) {
    headers['In-Reply-To'] = root;
    headers['References'] = root;
  }
  const text = [
    facts.summary,
    '',
    `${facts.itemKind === 'BUG' ? 'Bug' : 'Feature'} #${facts.itemNumber}: ${facts.itemTitle}`,
    `Status: ${facts.status}   Importance: ${facts.importance}`,
    `Component: ${facts.componentSlug ?? '(none yet)'}   Upstream: ${facts.upstreamSlug}`,
    '',
    itemUrl,
    '',
    '-- ',
    `You get this because ${REASON_WORDS[facts.reason]}.`,
    `Stop mail about this item: ${unsubscribe}`,
  ].join('\n');
  return {
    to: facts.recipient,
    subject: `[#${facts.itemNumber}] ${facts.itemTitle}`,
    text,
    messageId: first ? root : `<item-${facts.itemNumber}.event-${facts.eventId}@${host}>`,
    headers,
  };
}
