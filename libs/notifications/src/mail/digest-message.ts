import { mailHostOf } from './notification-message';

/** One notification as a digest lists it. */
export interface DigestEntry {
  itemNumber: number;
  itemTitle: string;
  status: string;
  eventType: string;
  summary: string;
  createdAt: Date;
}

/** A digest mail ready for the outbox. */
export interface DigestMail {
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/**
 * One user's day as one mail: the day's notifications grouped by item (items in the order of
 * their first news, entries oldest first), each item with its link.
 */
export function digestMail(entries: readonly DigestEntry[], facts: { userId: number; day: string; publicUrl: string }): DigestMail {
  const host = mailHostOf(facts.publicUrl);
  const byItem = new Map<number, DigestEntry[]>();
  for (const entry of entries) byItem.set(entry.itemNumber, [...(byItem.get(entry.itemNumber) ?? []), entry]);
  const lines: string[] = [`What happened on what you follow, until ${facts.day}:`, ''];
  for (const [number, news] of byItem) {
    const last = news.at(-1)!;
    lines.push(`#${number}: ${last.itemTitle} (${last.status})`, `${facts.publicUrl}/items/${number}`);
    for (const entry of news) lines.push(`  ${entry.createdAt.toISOString().slice(11, 16)} UTC  ${entry.summary}`);
    lines.push('');
  }
  lines.push('-- ', 'You get this once a day because you chose a daily digest (updateMailPreference).');
  const updates = entries.length;
  return {
    subject: `[Headwaters] Daily digest ${facts.day}: ${updates} update${updates === 1 ? '' : 's'} on ${byItem.size} item${byItem.size === 1 ? '' : 's'}`,
    text: lines.join('\n'),
    messageId: `<digest-${facts.userId}-${facts.day}@${host}>`,
    headers: {
      'List-Id': `Headwaters notifications <notifications.${host}>`,
      'Auto-Submitted': 'auto-generated',
      'Precedence': 'list',
      'X-Headwaters-Digest': facts.day,
    },
  };
}
