import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One mail as the sink received it: the SMTP envelope, the raw message and mailparser's reading of it. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
  at: number;
}

/**
 * A real SMTP server on 127.0.0.1 and a free port that keeps every mail it accepts. `refuse`
 * decides, per mail, to answer with an SMTP error instead (e.g. `451 4.3.0 try again later`).
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Return an error reply ("451 ..." or "550 ...") to refuse a mail; undefined accepts it. */
  refuse: (envelope: ReceivedMail['envelope'], attempt: number) => string | undefined = () => undefined;
  /** How many mails were offered (accepted or refused) per Message-ID. */
  readonly offered = new Map<string, number>();
  private server: SMTPServer | null = null;
  port = 0;

  /** The SMTP_URL that reaches it. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => void this.take(Buffer.concat(chunks).toString('utf8'), session).then((reply) => callback(reply ? smtpError(reply) : null), callback));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Waits until at least `count` mails are in (or throws after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 15000): Promise<ReceivedMail[]> {
    const end = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      if (Date.now() > end) throw new Error(`the SMTP sink got ${this.mails.length} mails, not ${count}, within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.mails;
  }

  private async take(raw: string, session: SMTPServerSession): Promise<string | undefined> {
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
    };
    const messageId = /^message-id:\s*(.+)$/im.exec(raw)?.[1].trim() ?? '';
    const attempt = (this.offered.get(messageId) ?? 0) + 1;
    this.offered.set(messageId, attempt);
    const refusal = this.refuse(envelope, attempt);
    if (refusal) return refusal;
    this.mails.push({ envelope, raw, parsed: await simpleParser(raw), at: Date.now() });
    return undefined;
  }
}

function smtpError(reply: string): Error {
  const code = Number(reply.slice(0, 3));
  return Object.assign(new Error(reply.slice(4)), { responseCode: code });
}
