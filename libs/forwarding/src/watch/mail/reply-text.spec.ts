import { firstLines, replyText } from './reply-text';

describe('reply text', () => {
  it('drops quoted lines and the attribution above them', () => {
    expect(replyText('Confirmed on 8.4 too.\n\nOn Tue, 1 Dec 2026, Headwaters <headwaters@localhost> wrote:\n> [#12] xenopsd leaks\n> more\n')).toBe('Confirmed on 8.4 too.');
  });

  it('keeps answers written between quotes (inline replies)', () => {
    expect(replyText('> Does it happen on 8.2?\nYes, since 8.2.1.\n> And with HVM guests?\nNo.')).toBe('Yes, since 8.2.1.\nNo.');
  });

  it('drops an attribution and its quote followed by a signature', () => {
    expect(replyText('Also on 8.4.\n\nOn Tue, 1 Dec 2026, Headwaters <h@x> wrote:\n> quoted\n\n-- \nReporter')).toBe('Also on 8.4.');
  });

  it('drops the signature after "-- "', () => {
    expect(replyText('Fixed in xen-api 24.3.\n\n-- \nAlice\nXAPI team\n')).toBe('Fixed in xen-api 24.3.');
  });

  it('drops an Outlook-style original message and "Sent from my phone"', () => {
    expect(replyText('Will look.\n\n-----Original Message-----\nFrom: Headwaters\nSubject: x\n\nbody')).toBe('Will look.');
    expect(replyText('Thanks!\n\nSent from my iPhone')).toBe('Thanks!');
  });

  it('drops an attribution wrapped over two lines', () => {
    expect(replyText('Yes.\n\nOn Tue, 1 Dec 2026 at 10:00, Headwaters <headwaters@localhost>\nwrote:\n> quoted')).toBe('Yes.');
  });

  it('keeps a line that only looks like an attribution when the reply goes on', () => {
    expect(replyText('On Monday someone wrote: it crashed.\nThen it did not.')).toBe('On Monday someone wrote: it crashed.\nThen it did not.');
  });

  it('closes up blank lines and handles CRLF', () => {
    expect(replyText('\r\n\r\nA\r\n\r\n\r\n\r\nB\r\n')).toBe('A\n\nB');
  });

  it('is empty when the mail only quotes', () => {
    expect(replyText('> all quoted\n> still')).toBe('');
  });

  it('gives the first lines on one line, cut with an ellipsis', () => {
    expect(firstLines('Hello\n\n  world  \nagain')).toBe('Hello world again');
    expect(firstLines('x'.repeat(300), 20)).toBe(`${'x'.repeat(19)}…`);
  });
});
