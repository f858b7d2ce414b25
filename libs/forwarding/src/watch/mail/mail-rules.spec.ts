import type { InboundMail } from './inbound-mail';
import { debianAcknowledgement, fromMailingList, itemOfMail, itemOfMessageId, loopReason } from './mail-rules';

const where = { domain: 'tracker.example.org', messageIdHosts: ['tracker.example.org'] };
const mail = (over: Partial<InboundMail> = {}): InboundMail => ({
  messageId: 'CAB123@mail.example.com', inReplyTo: [], from: { address: 'alice@example.com', name: 'Alice' }, recipients: [], subject: 'Re: [#12] xenopsd leaks', text: 'Hi', headers: {}, ...over,
});

describe('mail rules', () => {
  it('read the item from a Message-ID Headwaters sent for it', () => {
    expect(itemOfMessageId('item-12.forward-3@tracker.example.org', where.messageIdHosts)).toBe(12);
    expect(itemOfMessageId('item-12.event-99@TRACKER.example.org', where.messageIdHosts)).toBe(12);
    expect(itemOfMessageId('item-12@tracker.example.org', where.messageIdHosts)).toBe(12);
    expect(itemOfMessageId('item-12.forward-3@elsewhere.example.org', where.messageIdHosts)).toBeNull();
    expect(itemOfMessageId('itemized-12@tracker.example.org', where.messageIdHosts)).toBeNull();
  });

  it('route by In-Reply-To or References first, then by an item-N@ address of our domain', () => {
    expect(itemOfMail(mail({ inReplyTo: ['x@y', 'item-7.forward-1@tracker.example.org'] }), where)).toEqual({ number: 7, via: 'in-reply-to' });
    expect(itemOfMail(mail({ recipients: ['someone@else.org', 'item-9@tracker.example.org'] }), where)).toEqual({ number: 9, via: 'address' });
    expect(itemOfMail(mail({ recipients: ['item-9+reply@tracker.example.org'] }), where)).toEqual({ number: 9, via: 'address' });
    expect(itemOfMail(mail({ recipients: ['item-9@other.org'], inReplyTo: ['item-9.forward-1@other.org'] }), where)).toBeNull();
  });

  it('refuse machines\' mail and our own mail come back', () => {
    expect(loopReason(mail(), where)).toBeNull();
    expect(loopReason(mail({ headers: { 'auto-submitted': 'no' } }), where)).toBeNull();
    expect(loopReason(mail({ headers: { 'auto-submitted': 'auto-replied' } }), where)).toBe('Auto-Submitted: auto-replied');
    expect(loopReason(mail({ headers: { 'auto-submitted': 'auto-generated; owner-email="x@y"' } }), where)).toBe('Auto-Submitted: auto-generated');
    expect(loopReason(mail({ messageId: 'item-3.forward-1@tracker.example.org' }), where)).toBe('it carries a Message-ID Headwaters generated');
    expect(loopReason(mail({ messageId: 'verify-88@tracker.example.org' }), where)).toBe('it carries a Message-ID Headwaters generated');
    expect(loopReason(mail({ headers: { 'x-loop': 'tracker.example.org' } }), where)).toBe('X-Loop names this tracker');
  });

  it('know the upstream\'s list by List-Post or List-Id', () => {
    expect(fromMailingList(mail({ headers: { 'list-post': '<mailto:xen-api@lists.xenproject.org>' } }), 'xen-api@lists.xenproject.org')).toBe(true);
    expect(fromMailingList(mail({ headers: { 'list-id': 'Xen API <xen-api.lists.xenproject.org>' } }), 'xen-api@lists.xenproject.org')).toBe(true);
    expect(fromMailingList(mail({ headers: { 'list-id': '<xen-devel.lists.xenproject.org>' } }), 'xen-api@lists.xenproject.org')).toBe(false);
    expect(fromMailingList(mail(), 'xen-api@lists.xenproject.org')).toBe(false);
    expect(fromMailingList(mail({ headers: { 'list-id': '<xen-api.lists.xenproject.org>' } }), null)).toBe(false);
  });

  it('read a Debian acknowledgement by its header or its subject', () => {
    expect(debianAcknowledgement(mail({ headers: { 'x-debian-pr-message': 'ack 123456' } }))).toBe(123456);
    expect(debianAcknowledgement(mail({ subject: 'Bug#654321: Acknowledgement ([#12] xenopsd leaks)' }))).toBe(654321);
    expect(debianAcknowledgement(mail({ subject: 'Re: Bug#654321: xenopsd leaks' }))).toBeNull();
    expect(debianAcknowledgement(mail({ headers: { 'x-debian-pr-message': 'report 123456' } }))).toBeNull();
  });
});
