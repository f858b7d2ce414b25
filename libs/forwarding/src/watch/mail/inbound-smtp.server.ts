import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** What the listener does with a message it accepted at the SMTP level. */
export type InboundMailHandler = (raw: Buffer, envelope: { from: string | null; to: string[] }) => Promise<void>;

/** A refusal the handler raises to answer the sending server with a permanent 5xx. */
export class MailRefused extends Error {
  constructor(
    message: string,
    readonly responseCode = 550,
  ) {
    super(message);
    this.name = 'MailRefused';
  }
}

export interface InboundSmtpOptions {
  port: number;
  host: string;
  /** Only recipients at this domain are accepted. */
  domain: string;
  maxBytes: number;
  handler: InboundMailHandler;
  /** Called with unexpected handler errors (the sender is told to try again later). */
  onError?: (error: unknown) => void;
}

const smtpError = (message: string, responseCode: number): Error => Object.assign(new Error(message), { responseCode });

/**
 * The SMTP listener for replies (an MTA in front relays mail for MAIL_FROM's domain to it): it
 * takes recipients at that domain only, refuses messages over the size limit while they arrive,
 * and hands each accepted message to the handler before answering 250.
 */
export class InboundSmtpServer {
  private server: SMTPServer | null = null;
  port = 0;

  constructor(private readonly options: InboundSmtpOptions) {}

  async start(): Promise<void> {
    const { domain, maxBytes, handler } = this.options;
    this.server = new SMTPServer({
      name: domain,
      banner: 'Headwaters replies',
      size: maxBytes,
      authOptional: true,
      disabledCommands: ['AUTH'],
      hideSTARTTLS: true,
      logger: false,
      onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
        const at = address.address.lastIndexOf('@');
        if (address.address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) {
          callback(smtpError(`5.7.1 <${address.address}>: relay access denied, this server takes mail for ${domain} only`, 550));
          return;
        }
        callback();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          if (!stream.sizeExceeded) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(smtpError(`5.3.4 Message too big: at most ${maxBytes} bytes`, 552));
            return;
          }
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          };
          handler(Buffer.concat(chunks), envelope).then(
            () => callback(),
            (e: unknown) => {
              if (e instanceof MailRefused) {
                callback(smtpError(e.message, e.responseCode));
                return;
              }
              this.options.onError?.(e);
              callback(smtpError('4.3.0 Could not take the message now, try again later', 451));
            },
          );
        });
      },
    });
    this.server.on('error', (e) => this.options.onError?.(e));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.host, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    this.port = ((this.server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}
