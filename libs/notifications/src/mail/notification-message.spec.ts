import { mailHostOf, notificationMail, threadIdOf, type NoticeFacts } from './notification-message';

const FACTS: NoticeFacts = {
  eventId: 42, eventType: 'STATUS_CHANGED', summary: 'alice changed the status to CONFIRMED', actorName: 'alice', itemNumber: 7, itemTitle: 'xenopsd crashes on migrate',
  itemKind: 'BUG', status: 'CONFIRMED', importance: 'HIGH', componentSlug: 'xapi/xenopsd', upstreamSlug: 'xapi-project', reason: 'REPORTER', recipient: 'bob@example.org',
};
const LINKS = { publicUrl: 'https://bugs.example.org', unsubscribeToken: '3.7.sig' };

describe('notification mail', () => {
  it('threads every later event under the item\'s first mail', () => {
    const filed = notificationMail({ ...FACTS, eventType: 'FILED', eventId: 40 }, LINKS);
    const later = notificationMail(FACTS, LINKS);
    expect(filed.messageId).toBe('<item-7@bugs.example.org>');
    expect(filed.headers['In-Reply-To']).toBeUndefined();
    expect(later.messageId).toBe('<item-7.event-42@bugs.example.org>');
    expect(later.headers['In-Reply-To']).toBe(filed.messageId);
    expect(later.headers.References).toBe(filed.messageId);
    expect(later.subject).toBe('[#7] xenopsd crashes on migrate');
  });

  it('carries the headers filters read and a one-click unsubscribe', () => {
    const mail = notificationMail(FACTS, LINKS);
    expect(mail.headers).toMatchObject({
      'List-Id': 'Headwaters notifications <notifications.bugs.example.org>',
      'List-Unsubscribe': '<https://bugs.example.org/unsubscribe?token=3.7.sig>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
      'X-Headwaters-Reason': 'REPORTER',
      'X-Headwaters-Status': 'CONFIRMED',
      'X-Headwaters-Importance': 'HIGH',
      'X-Headwaters-Component': 'xapi/xenopsd',
      'X-Headwaters-Upstream': 'xapi-project',
    });
    expect(mail.text).toContain('https://bugs.example.org/items/7');
    expect(mail.text).toContain('because you reported it');
    expect(notificationMail({ ...FACTS, componentSlug: null }, LINKS).headers['X-Headwaters-Component']).toBeUndefined();
  });

  it('takes the host of Message-IDs from the public address', () => {
    expect(mailHostOf('http://localhost:3000')).toBe('localhost');
    expect(threadIdOf(3, 'h')).toBe('<item-3@h>');
  });
});
