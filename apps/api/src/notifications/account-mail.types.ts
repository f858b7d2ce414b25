import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAIL_PREFERENCES } from '@headwaters/notifications';
import { enumOf } from '@headwaters/graphql-kit';
import { User, Viewer } from '../identity/identity.types';

export const MailPreference = enumOf(MAIL_PREFERENCES);
registerEnumType(MailPreference, {
  name: 'MailPreference',
  description: 'How often Headwaters mails you about what you follow (always to a verified address only).',
  valuesMap: {
    EACH_EVENT: { description: 'A mail per event, threaded per item (the default).' },
    DAILY_DIGEST: { description: 'At most one mail a day, listing what happened.' },
    NONE: { description: 'No notification mail; the inbox still fills.' },
  },
});

@InputType({ description: 'Sends a mail with a link (and token) that proves you own your address; notification mails wait for it.' })
export class RequestEmailVerificationInput {
  @Field(() => String, { nullable: true, description: 'A new address for your account (unverified until proved); left out: the current one.' })
  @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
}

@ObjectType({ description: 'Whether a mail went out: false when the address is already verified.' })
export class RequestEmailVerificationPayload {
  @Field({ description: 'True when a link was mailed.' })
  sent!: boolean;
}

@InputType({ description: 'The token of a verification link.' })
export class VerifyEmailInput {
  @Field({ description: 'From the link PUBLIC_URL/verify-email?token=...' })
  @IsString() @MaxLength(200)
  token!: string;
}

@ObjectType({ description: 'You, with your address verified.' })
export class VerifyEmailPayload {
  @Field(() => Viewer, { description: 'The user whose address it is.' })
  viewer!: Viewer;
}

@InputType({ description: 'Always answers sent: true, whether or not the address is known.' })
export class RequestPasswordResetInput {
  @Field({ description: 'The address of the account.' })
  @IsString() @MaxLength(254)
  email!: string;
}

@ObjectType({ description: 'Always sent: true, so the answer tells nobody which addresses have accounts.' })
export class RequestPasswordResetPayload {
  @Field({ description: 'Always true.' })
  sent!: boolean;
}

@InputType({ description: 'A new password, with the token of a reset link (single-use, one hour).' })
export class ResetPasswordInput {
  @Field({ description: 'From the link PUBLIC_URL/reset-password?token=...' })
  @IsString() @MaxLength(200)
  token!: string;

  @Field({ description: 'The new password.' })
  @IsString() @MaxLength(1000)
  password!: string;
}

@ObjectType({ description: 'Signed in afresh: every earlier session and token of the account was revoked.' })
export class ResetPasswordPayload {
  @Field(() => User, { description: 'Whose password it is.' })
  user!: User;

  @Field({ description: 'A new session token.' })
  token!: string;
}

@InputType({ description: 'How often you want notification mail.' })
export class UpdateMailPreferenceInput {
  @Field(() => MailPreference, { description: 'EACH_EVENT, DAILY_DIGEST or NONE.' })
  @IsIn(MAIL_PREFERENCES as unknown as string[])
  mail!: string;
}

@ObjectType({ description: 'You, with your preference as it is now.' })
export class UpdateMailPreferencePayload {
  @Field(() => Viewer, { description: 'The signed-in user.' })
  viewer!: Viewer;
}
