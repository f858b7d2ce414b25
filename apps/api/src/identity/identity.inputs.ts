import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EMAIL, EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME } from '@headwaters/identity';
import { AccessToken, Role, RoleGrant, User } from './identity.types';

@InputType({ description: 'A new account.' })
export class RegisterInput {
  @Field({ description: '2 to 39 letters, digits, "-" or "_"; unique whatever the case.' })
  @Matches(USERNAME, { message: 'username must be 2 to 39 letters, digits, "-" or "_"' })
  username!: string;

  @Field({ description: 'Never shown to others.' })
  @MaxLength(EMAIL_MAX) @Matches(EMAIL, { message: 'email must be an e-mail address such as alice@example.org' })
  email!: string;

  @Field({ description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.` })
  @IsString() @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` }) @MaxLength(PASSWORD_MAX)
  password!: string;
}

@ObjectType({ description: 'The new account, signed in.' })
export class RegisterPayload {
  @Field(() => User, { description: 'The account.' })
  user!: User;

  @Field({ description: 'A session token, shown once: send it as "Authorization: Bearer <token>".' })
  token!: string;
}

@InputType({ description: 'Username (any case) and password.' })
export class LoginInput {
  @Field({ description: 'Your username, in any case.' })
  @IsString() @MinLength(1) @MaxLength(39)
  username!: string;

  @Field({ description: 'Your password.' })
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX)
  password!: string;
}

@ObjectType({ description: 'Signed in.' })
export class LoginPayload {
  @Field(() => User, { description: 'Who you are.' })
  user!: User;

  @Field({ description: 'A session token, shown once: send it as "Authorization: Bearer <token>".' })
  token!: string;
}

@InputType({ description: 'ADMIN takes no scope; MAINTAINER needs exactly one of upstreamSlug or componentSlug.' })
export class GrantRoleInput {
  @Field({ description: 'Who gets it.' })
  @IsString() @MinLength(1) @MaxLength(39)
  username!: string;

  @Field(() => Role, { description: 'Which role.' })
  @IsIn(['ADMIN', 'MAINTAINER'])
  role!: 'ADMIN' | 'MAINTAINER';

  @Field(() => String, { nullable: true, description: 'MAINTAINER of this upstream (all components it owns).' })
  @IsOptional() @IsString() @MaxLength(60)
  upstreamSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'MAINTAINER of this component and everything below it.' })
  @IsOptional() @IsString() @MaxLength(200)
  componentSlug?: string | null;
}

@ObjectType({ description: 'The user and every role they now hold.' })
export class GrantRolePayload {
  @Field(() => User, { description: 'The user.' })
  user!: User;

  @Field(() => [RoleGrant], { description: 'All their roles.' })
  grants!: RoleGrant[];
}

@InputType({ description: 'A token for a tool or script.' })
export class CreateAccessTokenInput {
  @Field({ description: 'What it is for (1 to 100 characters).' })
  @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Days until it stops working (1 to 3650); never when left out.' })
  @IsOptional() @IsInt() @Min(1) @Max(3650)
  expiresInDays?: number | null;
}

@ObjectType({ description: 'The new token.' })
export class CreateAccessTokenPayload {
  @Field({ description: 'The secret, shown this once.' })
  token!: string;

  @Field(() => AccessToken, { description: 'Its record.' })
  accessToken!: AccessToken;
}

@InputType({ description: 'Which of your tokens.' })
export class RevokeAccessTokenInput {
  @Field(() => ID, { description: 'The AccessToken ID.' })
  @IsString() @MaxLength(200)
  id!: string;
}

@ObjectType({ description: 'The revoked token.' })
export class RevokeAccessTokenPayload {
  @Field(() => AccessToken, { description: 'It no longer works.' })
  accessToken!: AccessToken;
}

@ObjectType({ description: 'How many sessions ended.' })
export class RevokeSessionsPayload {
  @Field(() => Int, { description: 'Sessions revoked (this one included).' })
  revoked!: number;
}

@InputType({ description: 'Your current password and a new one.' })
export class ChangePasswordInput {
  @Field({ description: 'Your password now.' })
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX)
  currentPassword!: string;

  @Field({ description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.` })
  @IsString() @MinLength(PASSWORD_MIN, { message: `newPassword must be at least ${PASSWORD_MIN} characters` }) @MaxLength(PASSWORD_MAX)
  newPassword!: string;
}

@ObjectType({ description: 'Done.' })
export class DonePayload {
  @Field({ description: 'Always true.' })
  ok!: boolean;
}
