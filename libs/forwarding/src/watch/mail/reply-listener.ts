import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@headwaters/config';
import { InboundSmtpServer } from './inbound-smtp.server';
import { ReplyDomain, ReplyIntakeService } from './reply-intake.service';

/** The SMTP listener for replies, on MAIL_INBOUND_PORT when set (in the worker role). */
@Injectable()
export class ReplyListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('MailReplies');
  private server: InboundSmtpServer | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly intake: ReplyIntakeService,
    private readonly domain: ReplyDomain,
  ) {}

  /** The port it listens on (0 when it does not). */
  get port(): number {
    return this.server?.port ?? 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.MAIL_INBOUND_PORT === undefined) return;
    this.server = new InboundSmtpServer({
      port: this.config.MAIL_INBOUND_PORT,
      host: this.config.MAIL_INBOUND_HOST,
      domain: this.domain.domain,
      maxBytes: this.config.MAIL_INBOUND_MAX_BYTES,
      handler: async (raw, envelope) => void (await this.intake.receive(raw, envelope)),
      onError: (e) => this.log.error(`a reply could not be taken: ${e instanceof Error ? e.message : String(e)}`),
    });
    await this.server.start();
    this.log.log(`listening for replies to ${this.domain.domain} on ${this.config.MAIL_INBOUND_HOST}:${this.server.port}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.server?.stop();
  }
}
