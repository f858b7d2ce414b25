import { digestMail } from './digest-message';

describe('digestMail', () => {
  const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00Z`);
  const entries = [
    { itemNumber: 7, itemTitle: 'Dom0 hangs', status: 'NEW', eventType: 'COMMENTED', summary: 'alice commented', createdAt: at('08:05') },
    { itemNumber: 9, itemTitle: 'VIF drops', status: 'CONFIRMED', eventType: 'COMMENTED', summary: 'bob commented', createdAt: at('09:00') },
    { itemNumber: 7, itemTitle: 'Dom0 hangs on resume', status: 'TRIAGED', eventType: 'TRIAGED', summary: 'alice set the importance', createdAt: at('10:30') },
  ];

  it('groups entries by item in the order of their first news, each with its link, and names the day', () => {
    const mail = digestMail(entries, { userId: 3, day: '2026-12-01', publicUrl: 'https://tracker.example.org' });
    expect(mail.subject).toBe('[Headwaters] Daily digest 2026-12-01: 3 updates on 2 items');
    expect(mail.messageId).toBe('<digest-3-2026-12-01@tracker.example.org>');
    expect(mail.headers).toMatchObject({ 'Auto-Submitted': 'auto-generated', 'X-Headwaters-Digest': '2026-12-01' });
    const lines = mail.text.split('\n');
    const seven = lines.indexOf('#7: Dom0 hangs on resume (TRIAGED)');
    const nine = lines.indexOf('#9: VIF drops (CONFIRMED)');
    expect(seven).toBeGreaterThan(0);
    expect(nine).toBeGreaterThan(seven);
    expect(lines.slice(seven + 1, seven + 4)).toEqual(['https://tracker.example.org/items/7', '  08:05 UTC  alice commented', '  10:30 UTC  alice set the importance']);
  });

  it('says one update in the singular', () => {
    expect(digestMail(entries.slice(0, 1), { userId: 1, day: '2026-12-02', publicUrl: 'http://localhost:3000' }).subject).toBe('[Headwaters] Daily digest 2026-12-02: 1 update on 1 item');
  });
});
