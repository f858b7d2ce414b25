import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { DeliveryRecord } from '../delivery.records';
import type { DeliveryChannelSender, SendContext, SendOutcome } from './channel';

export interface MailChannelOptions {
  /** `smtp://user:pass@host:587` or `smtps://...`; unset: each mail is written as an .eml file to `mailDir`. */
  smtpUrl?: string;
  /** Where .eml files go without an SMTP server. */
  mailDir: string;
  from: string;
  /** Connections to the SMTP server at most. */
  maxConnections?: number;
}

interface SmtpError extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
}

/**
 * Mail through nodemailer: over SMTP (a pool of connections), or, with no server configured,
 * written whole as `<delivery>.eml` under the mail folder, which counts as delivered. Every
 * attempt of a delivery builds the same message: its Message-ID and Date are the delivery's.
 */
export class MailChannel implements DeliveryChannelSender {
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly options: MailChannelOptions) {
    this.toFiles = !options.smtpUrl;
    this.transport = options.smtpUrl
      ? createTransport({
          url: options.smtpUrl,
          pool: true,
          maxConnections: options.maxConnections ?? 5,
          maxMessages: 1000,
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
        } as never)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  /** Whether mail is written to files instead of sent. */
  get writesFiles(): boolean {
    return this.toFiles;
  }

  async send(delivery: DeliveryRecord, context: SendContext): Promise<SendOutcome> {
    if (context.signal.aborted) throw context.signal.reason as Error;
    const message = {
      from: this.options.from,
      to: delivery.destination,
      subject: delivery.subject ?? '',
      text: delivery.payload,
      messageId: delivery.messageId,
      date: delivery.createdAt,
      headers: delivery.headers,
      envelope: { from: this.options.from, to: [delivery.destination] },
    };
    try {
      const info = await abortable(this.transport.sendMail(message), context.signal);
      if (this.toFiles) {
        await this.writeFile(delivery, (info as { message: Buffer }).message);
        return { ok: true };
      }
      const rejected = (info as { rejected?: unknown[] }).rejected ?? [];
      if (rejected.length > 0) return { ok: false, error: `the mail server refused ${rejected.map(String).join(', ')}` };
      return { ok: true };
    } catch (error) {
      if (context.signal.aborted) throw error;
      const smtp = error as SmtpError;
      return { ok: false, error: (smtp.response ?? smtp.message ?? String(error)).slice(0, 500) };
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private async writeFile(delivery: DeliveryRecord, raw: Buffer): Promise<void> {
    await mkdir(this.options.mailDir, { recursive: true });
    const name = `delivery-${delivery.id}.eml`;
    const partial = join(this.options.mailDir, `.${name}.${process.pid}.tmp`);
    await writeFile(partial, raw);
    await rename(partial, join(this.options.mailDir, name));
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error as Error)),
    );
  });
}
