import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, publicUrlOf } from '@headwaters/config';
import { DomainError, type Actor } from '@headwaters/core';
import { DeliveryOutbox } from '@headwaters/forwarding';
import { AccountRecoveryService, type EmailRecord, type ResetDone } from '@headwaters/identity';
import { MAIL_PREFERENCES, type MailPreference } from '../subscription.records';
import { mailHostOf } from './notification-message';

/** At most this many reset mails per user and hour: the address's owner is not to be flooded. */
const RESET_MAILS_PER_HOUR = 3;

/**
 * The mails of an account: proving an address (notification mail waits for it), resetting a
 * forgotten password, and how often someone wants mail at all. Each mail is an outbox row
 * written with its token, so a failed request sends nothing.
 */
@Injectable()
export class AccountMailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recovery: AccountRecoveryService,
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
  ) {}

  /** Sends a verification link to the actor's address (a new one, when given). False when it is already verified. */
  async requestEmailVerification(actor: Actor | null, email?: string | null): Promise<boolean> {
    const who = signedIn(actor);
    const sent = await this.dataSource.transaction(async (tx) => {
      let user = (await this.recovery.emailsOf(tx, [who.userId]))[0]!;
      if (email) user = await this.recovery.changeEmail(tx, who.userId, email);
      if (user.verified) return false;
      const token = await this.recovery.issue(tx, user, 'VERIFY_EMAIL');
      const link = `${publicUrlOf(this.config)}/verify-email?token=${encodeURIComponent(token)}`;
      await this.mail(tx, user, 'account.verify-email', 'Confirm your address for Headwaters', [
        `Hello ${user.username},`, '', 'Open this link to confirm that this address is yours (it works for 7 days, once):', '', link, '',
        'Headwaters mails you about what you follow only once your address is confirmed.', 'If you did not ask for this, ignore this mail.',
      ]);
      return true;
    });
    if (sent) this.outbox.wake();
    return sent;
  }

  verifyEmail(token: string): Promise<EmailRecord> {
    return this.dataSource.transaction((tx) => this.recovery.verifyEmail(tx, token));
  }

  /** Mails a reset link when the address is known; says nothing either way. */
  async requestPasswordReset(email: string): Promise<void> {
    const sent = await this.dataSource.transaction(async (tx) => {
      const user = await this.recovery.userByEmail(tx, email);
      if (!user) return false;
      const [{ n }] = await tx.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM account_token WHERE user_id = $1 AND purpose = 'RESET_PASSWORD' AND created_at > now() - interval '1 hour'`,
        [user.userId],
      );
      if (n >= RESET_MAILS_PER_HOUR) return false;
      const token = await this.recovery.issue(tx, user, 'RESET_PASSWORD');
      const link = `${publicUrlOf(this.config)}/reset-password?token=${encodeURIComponent(token)}`;
      await this.mail(tx, user, 'account.reset-password', 'Reset your Headwaters password', [
        `Hello ${user.username},`, '', 'Open this link to choose a new password (it works for one hour, once):', '', link, '',
        'Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail: your password stays as it is.',
      ]);
      return true;
    });
    if (sent) this.outbox.wake();
  }

  resetPassword(token: string, password: string): Promise<ResetDone> {
    return this.dataSource.transaction((tx) => this.recovery.resetPassword(tx, token, password));
  }

  /** The user's mail preference (EACH_EVENT when never set). */
  async mailPreferenceOf(userId: number): Promise<MailPreference> {
    const [row] = await this.dataSource.query<{ mail: MailPreference }[]>(`SELECT mail FROM notification_setting WHERE user_id = $1`, [userId]);
    return row?.mail ?? 'EACH_EVENT';
  }

  async setMailPreference(actor: Actor | null, mail: MailPreference): Promise<void> {
    const who = signedIn(actor);
    if (!MAIL_PREFERENCES.includes(mail)) throw DomainError.invalid('INVALID_MAIL_PREFERENCE', `mail must be one of ${MAIL_PREFERENCES.join(', ')}`, 'mail');
    await this.dataSource.query(
      `INSERT INTO notification_setting (user_id, mail) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET mail = EXCLUDED.mail, updated_at = now()`,
      [who.userId, mail],
    );
  }

  private async mail(tx: Parameters<AccountRecoveryService['issue']>[0], user: EmailRecord, event: string, subject: string, lines: string[]): Promise<void> {
    await this.outbox.queue(tx, {
      event,
      channel: 'MAIL',
      destination: user.email,
      subject,
      payload: lines.join('\n'),
      messageId: `<account-${randomUUID()}@${mailHostOf(publicUrlOf(this.config))}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  }
}

function signedIn(actor: Actor | null): Actor {
  if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
  return actor;
}
