import { createTransport } from 'nodemailer';
import { parseInboundMail, type InboundMail } from './inbound-mail';
import { InboundSmtpServer, MailRefused } from './inbound-smtp.server';

describe('the inbound SMTP listener', () => {
  const received: InboundMail[] = [];
  const server = new InboundSmtpServer({
    port: 0,
    host: '127.0.0.1',
    domain: 'tracker.example.org',
    maxBytes: 20_000,
    handler: async (raw, envelope) => {
      const mail = await parseInboundMail(raw, envelope.to);
      if (mail.subject === 'refuse me') throw new MailRefused('5.1.1 This mail names no item of this tracker');
      if (mail.subject === 'fail me') throw new Error('database away');
      received.push(mail);
    },
  });
  const send = (message: Record<string, unknown>) =>
    createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } }).sendMail({ from: 'Alice <alice@example.com>', to: 'item-12@tracker.example.org', ...message });

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('takes a reply over SMTP and hands it over parsed, threading headers included', async () => {
    await send({
      subject: 'Re: [#12] xenopsd leaks',
      text: 'Seen it on 8.4 too.\n\nOn Tue, Headwaters wrote:\n> original',
      inReplyTo: '<item-12.forward-1@tracker.example.org>',
      references: ['<item-12.forward-1@tracker.example.org>', '<other@x>'],
      headers: { 'List-Id': 'Xen API <xen-api.lists.xenproject.org>', 'Auto-Submitted': 'no' },
    });
    const mail = received.at(-1)!;
    expect(mail).toMatchObject({
      from: { address: 'alice@example.com', name: 'Alice' },
      inReplyTo: ['item-12.forward-1@tracker.example.org', 'other@x'],
      recipients: ['item-12@tracker.example.org'],
      subject: 'Re: [#12] xenopsd leaks',
      headers: { 'list-id': 'Xen API <xen-api.lists.xenproject.org>', 'auto-submitted': 'no' },
    });
    expect(mail.text).toContain('Seen it on 8.4 too.');
    expect(mail.messageId).toMatch(/@/);
  });

  it('refuses recipients of other domains (no relaying)', async () => {
    await expect(send({ to: 'someone@elsewhere.org', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
  });

  it('refuses a message over the size limit', async () => {
    await expect(send({ subject: 'big', text: 'x'.repeat(50_000) })).rejects.toMatchObject({ responseCode: 552 });
    expect(received.some((m) => m.subject === 'big')).toBe(false);
  });

  it('answers 5xx to what the handler refuses and 451 (try later) when it fails', async () => {
    await expect(send({ subject: 'refuse me', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(send({ subject: 'fail me', text: 'x' })).rejects.toMatchObject({ responseCode: 451 });
  });
});
