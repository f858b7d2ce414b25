import { ArgsType, Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import {
  COMPONENT_SLUG, FORWARDING_METHODS, RELEASE_SLUG, TRACKER_KINDS, UPSTREAM_SLUG, WEBHOOK_SECRET_MIN_LENGTH,
  type ForwardingMethod as Method, type TrackerKind as Kind,
} from '@headwaters/catalogue';
import { Component, ForwardingMethod, Release, TrackerKind, Upstream } from './catalogue.types';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const nullable = { nullable: true };
/** Present and not null: explicit nulls clear optional fields in updates. */
const given = (_: object, value: unknown) => value !== null && value !== undefined;
/** Present, null included: for fields that cannot be cleared. */
const present = (_: object, value: unknown) => value !== undefined;
/** Debian's rule for package names: lower-case letters, digits, `+`, `-`, `.`, starting alphanumeric. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
const SECRET_MESSAGE = `webhookSecret must be at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`;
const TRACKER_KIND_MESSAGE = `trackerKind must be one of ${TRACKER_KINDS.join(', ')}`;
const PACKAGE_NAME_MESSAGE = 'packageName must be a package name: lower-case letters, digits, "+", "-" and "." (e.g. xcp-xapi)';

@InputType({ description: 'A new upstream.' })
export class CreateUpstreamInput {
  @Field({ description: 'Short and unique: lower-case letters, digits and dashes.' })
  @Matches(UPSTREAM_SLUG, { message: 'slug must be lower-case letters, digits and dashes (e.g. xen-project)' }) @MaxLength(60)
  slug!: string;

  @Field({ description: 'What people call it.' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @Field(() => ForwardingMethod, { description: 'How items routed to it reach it.' })
  @IsIn(FORWARDING_METHODS)
  forwarding!: Method;

  @Field(() => String, { ...nullable, description: 'Its web site.' })
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'homepage must be an http(s) URL' }) @MaxLength(500)
  homepage?: string | null;

  @Field(() => String, { ...nullable, description: 'Its mailing list address (needed for MAILING_LIST forwarding).' })
  @IsOptional() @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'mailingList must be an e-mail address' }) @MaxLength(254)
  mailingList?: string | null;

  @Field(() => String, { ...nullable, description: 'Its IRC channel, e.g. #xen-api.' })
  @IsOptional() @Matches(/^[#&][^\s,]{1,60}$/, { message: 'ircChannel must look like #channel' })
  ircChannel?: string | null;

  @Field(() => String, { ...nullable, description: 'Its own bug tracker.' })
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'trackerUrl must be an http(s) URL' }) @MaxLength(500)
  trackerUrl?: string | null;

  @Field(() => String, { ...nullable, description: 'Where WEBHOOK forwarding POSTs (needed for WEBHOOK forwarding).' })
  @IsOptional() @IsUrl(URL_OPTIONS, { message: 'webhookUrl must be an http(s) URL' }) @MaxLength(500)
  webhookUrl?: string | null;

  @Field(() => TrackerKind, { ...nullable, description: 'Which kind of tracker trackerUrl is (NONE when left out).' })
  @IsOptional() @IsIn(TRACKER_KINDS, { message: TRACKER_KIND_MESSAGE })
  trackerKind?: Kind;

  @Field(() => String, { ...nullable, description: "Signs the webhook POSTs (HMAC-SHA256) and checks the upstream's own webhooks to us." })
  @IsOptional() @IsString() @MinLength(WEBHOOK_SECRET_MIN_LENGTH, { message: SECRET_MESSAGE }) @MaxLength(500)
  webhookSecret?: string | null;
}

@InputType({ description: 'Changes to an upstream; fields left out stay as they are, null clears an optional one.' })
export class UpdateUpstreamInput {
  @Field({ description: 'Which upstream.' })
  @Matches(UPSTREAM_SLUG, { message: 'slug must be an upstream slug' })
  slug!: string;

  @Field(() => String, { ...nullable, description: 'A new name.' })
  @ValidateIf(given) @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @Field(() => ForwardingMethod, { ...nullable, description: 'A new forwarding method.' })
  @ValidateIf(given) @IsIn(FORWARDING_METHODS)
  forwarding?: Method;

  @Field(() => String, nullable) @ValidateIf(given) @IsUrl(URL_OPTIONS, { message: 'homepage must be an http(s) URL' }) @MaxLength(500)
  homepage?: string | null;

  @Field(() => String, nullable) @ValidateIf(given) @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'mailingList must be an e-mail address' }) @MaxLength(254)
  mailingList?: string | null;

  @Field(() => String, nullable) @ValidateIf(given) @Matches(/^[#&][^\s,]{1,60}$/, { message: 'ircChannel must look like #channel' })
  ircChannel?: string | null;

  @Field(() => String, nullable) @ValidateIf(given) @IsUrl(URL_OPTIONS, { message: 'trackerUrl must be an http(s) URL' }) @MaxLength(500)
  trackerUrl?: string | null;

  @Field(() => String, nullable) @ValidateIf(given) @IsUrl(URL_OPTIONS, { message: 'webhookUrl must be an http(s) URL' }) @MaxLength(500)
  webhookUrl?: string | null;

  @Field(() => TrackerKind, { ...nullable, description: 'A new tracker kind (cannot be null: NONE for none).' })
  @ValidateIf(present) @IsIn(TRACKER_KINDS, { message: TRACKER_KIND_MESSAGE })
  trackerKind?: Kind;

  @Field(() => String, { ...nullable, description: 'A new webhook secret (write-only, never shown); null clears it.' })
  @ValidateIf(given) @IsString() @MinLength(WEBHOOK_SECRET_MIN_LENGTH, { message: SECRET_MESSAGE }) @MaxLength(500)
  webhookSecret?: string | null;
}

@InputType({ description: 'Which upstream to retire.' })
export class RetireUpstreamInput {
  @Field({ description: 'The upstream.' })
  @Matches(UPSTREAM_SLUG, { message: 'slug must be an upstream slug' })
  slug!: string;
}

@ObjectType({ description: 'The upstream as it is now.' })
export class UpstreamPayload {
  @Field(() => Upstream, { description: 'The upstream.' })
  upstream!: Upstream;
}

@InputType({ description: 'A root component needs an owner; a child without one inherits its parent\'s.' })
export class CreateComponentInput {
  @Field({ description: 'Path-like and unique: lower-case letters, digits and dashes, "/" between levels.' })
  @Matches(COMPONENT_SLUG, { message: 'slug must be lower-case letters, digits and dashes with "/" between levels (e.g. xapi/xenopsd)' }) @MaxLength(200)
  slug!: string;

  @Field({ description: 'What people call it.' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @Field(() => String, { ...nullable, description: 'What it is, in a line.' })
  @IsOptional() @IsString() @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { ...nullable, description: 'The parent component; none makes a root.' })
  @IsOptional() @Matches(COMPONENT_SLUG, { message: 'parentSlug must be a component slug' })
  parentSlug?: string | null;

  @Field(() => String, { ...nullable, description: 'The owning upstream; none inherits the parent\'s.' })
  @IsOptional() @Matches(UPSTREAM_SLUG, { message: 'ownerSlug must be an upstream slug' })
  ownerSlug?: string | null;

  @Field(() => String, { ...nullable, description: "The upstream's own name for it (Debian's source package xcp-xapi)." })
  @IsOptional() @Matches(PACKAGE_NAME, { message: PACKAGE_NAME_MESSAGE }) @MaxLength(100)
  packageName?: string | null;
}

@InputType({ description: 'Fields left out stay as they are. Changing the owner re-routes the open items that follow it.' })
export class UpdateComponentInput {
  @Field({ description: 'Which component.' })
  @Matches(COMPONENT_SLUG, { message: 'slug must be a component slug' })
  slug!: string;

  @Field(() => String, { ...nullable, description: 'A new name.' })
  @ValidateIf(given) @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @Field(() => String, { ...nullable, description: 'A new description; null clears it.' })
  @ValidateIf(given) @IsString() @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { ...nullable, description: 'Move under this component; null makes it a root (which then needs an owner).' })
  @ValidateIf(given) @Matches(COMPONENT_SLUG, { message: 'parentSlug must be a component slug' })
  parentSlug?: string | null;

  @Field(() => String, { ...nullable, description: 'A new owner; null makes it inherit its parent\'s again.' })
  @ValidateIf(given) @Matches(UPSTREAM_SLUG, { message: 'ownerSlug must be an upstream slug' })
  ownerSlug?: string | null;

  @Field(() => String, { ...nullable, description: "The upstream's own name for it; null clears it." })
  @ValidateIf(given) @Matches(PACKAGE_NAME, { message: PACKAGE_NAME_MESSAGE }) @MaxLength(100)
  packageName?: string | null;
}

@ObjectType({ description: 'The component as it is now.' })
export class ComponentPayload {
  @Field(() => Component, { description: 'The component.' })
  component!: Component;
}

@InputType({ description: 'A new release.' })
export class CreateReleaseInput {
  @Field({ description: 'Unique: lower-case letters, digits, dots and dashes (xenserver-6.2).' })
  @Matches(RELEASE_SLUG, { message: 'slug must be lower-case letters, digits, dots and dashes (e.g. xenserver-6.2)' }) @MaxLength(100)
  slug!: string;

  @Field({ description: 'What people call it.' })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @Field(() => Date, { ...nullable, description: 'When it came out; leave out while unreleased.' })
  @IsOptional() @IsDate()
  releasedAt?: Date | null;
}

@InputType({ description: 'Changes to a release; fields left out stay as they are.' })
export class UpdateReleaseInput {
  @Field({ description: 'Which release.' })
  @Matches(RELEASE_SLUG, { message: 'slug must be a release slug' })
  slug!: string;

  @Field(() => String, { ...nullable, description: 'A new name.' })
  @ValidateIf(given) @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @Field(() => Date, { ...nullable, description: 'When it came out; null: unreleased.' })
  @ValidateIf(given) @IsDate()
  releasedAt?: Date | null;

  @Field(() => Boolean, { ...nullable, description: 'Retire (true) or bring back (false).' })
  @ValidateIf(given) @IsBoolean()
  retired?: boolean;
}

@ObjectType({ description: 'The release as it is now.' })
export class ReleasePayload {
  @Field(() => Release, { description: 'The release.' })
  release!: Release;
}

@ArgsType()
export class IncludeRetiredArgs {
  @Field({ nullable: true, defaultValue: false, description: 'Also list retired ones.' })
  @IsOptional() @IsBoolean()
  includeRetired?: boolean;
}
