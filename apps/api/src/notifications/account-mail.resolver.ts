import { Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccountRecoveryService, AccountService, RoleService } from '@headwaters/identity';
import { AccountMailService, type MailPreference as MailPreferenceValue } from '@headwaters/notifications';
import { DataSource } from 'typeorm';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { RoleGrant, User, Viewer } from '../identity/identity.types';
import {
  MailPreference, RequestEmailVerificationInput, RequestEmailVerificationPayload, RequestPasswordResetInput, RequestPasswordResetPayload,
  ResetPasswordInput, ResetPasswordPayload, UpdateMailPreferenceInput, UpdateMailPreferencePayload, VerifyEmailInput, VerifyEmailPayload,
} from './account-mail.types';

/** An account's address, its password reset, and how often it wants mail. */
@Resolver(() => Viewer)
export class AccountMailResolver {
  constructor(
    private readonly mail: AccountMailService,
    private readonly recovery: AccountRecoveryService,
    private readonly accounts: AccountService,
    private readonly roles: RoleService,
    private readonly dataSource: DataSource,
  ) {}

  @ResolveField(() => String, { description: 'Your address.' })
  async email(@Parent() viewer: Viewer): Promise<string> {
    return (await this.recovery.emailsOf(this.dataSource, [viewer.userId]))[0]!.email;
  }

  @ResolveField(() => Boolean, { description: 'Whether you proved the address (notification mail goes only to verified addresses).' })
  async emailVerified(@Parent() viewer: Viewer): Promise<boolean> {
    return (await this.recovery.emailsOf(this.dataSource, [viewer.userId]))[0]!.verified;
  }

  @ResolveField(() => MailPreference, { description: 'How often you get notification mail.' })
  mailPreference(@Parent() viewer: Viewer): Promise<string> {
    return this.mail.mailPreferenceOf(viewer.userId);
  }

  @Mutation(() => RequestEmailVerificationPayload, { description: 'Mails a link PUBLIC_URL/verify-email?token=... to your address (or to a new one). Signed-in users only.' })
  async requestEmailVerification(@Args('input') input: RequestEmailVerificationInput, @Context() context: RequestContext): Promise<RequestEmailVerificationPayload> {
    return { sent: await this.mail.requestEmailVerification(await context.actor(), input.email) };
  }

  @Mutation(() => VerifyEmailPayload, { description: 'Proves your address with the token of a verification link; no sign-in needed.' })
  async verifyEmail(@Args('input') input: VerifyEmailInput): Promise<VerifyEmailPayload> {
    const verified = await this.mail.verifyEmail(input.token);
    return { viewer: await this.viewerOf(verified.userId) };
  }

  @Mutation(() => RequestPasswordResetPayload, { description: 'Mails a reset link PUBLIC_URL/reset-password?token=... when the address has an account; always answers sent: true.' })
  async requestPasswordReset(@Args('input') input: RequestPasswordResetInput): Promise<RequestPasswordResetPayload> {
    await this.mail.requestPasswordReset(input.email);
    return { sent: true };
  }

  @Mutation(() => ResetPasswordPayload, { description: 'Sets a new password with a reset token (single-use, one hour): every session and token of the account is revoked, and you are signed in afresh.' })
  async resetPassword(@Args('input') input: ResetPasswordInput): Promise<ResetPasswordPayload> {
    const done = await this.mail.resetPassword(input.token, input.password);
    return { user: User.from(done.user), token: done.token };
  }

  @Mutation(() => UpdateMailPreferencePayload, { description: 'Sets how often you get notification mail: EACH_EVENT (the default), DAILY_DIGEST or NONE. Signed-in users only.' })
  async updateMailPreference(@Args('input') input: UpdateMailPreferenceInput, @Context() context: RequestContext): Promise<UpdateMailPreferencePayload> {
    const actor = await context.requireActor();
    await this.mail.setMailPreference(actor, input.mail as MailPreferenceValue);
    return { viewer: await this.viewerOf(actor.userId) };
  }

  private async viewerOf(userId: number): Promise<Viewer> {
    const [user] = await this.accounts.usersByIds([userId]);
    const [grants] = await this.roles.grantsOfUsers([userId]);
    return Object.assign(new Viewer(), { user: User.from(user!), roles: grants.map(RoleGrant.from), userId });
  }
}
