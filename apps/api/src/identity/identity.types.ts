import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AccessTokenRecord, GrantRecord, UserRecord } from '@headwaters/identity';
import { enumOf, Node, toGlobalId } from '@headwaters/graphql-kit';

export const Role = enumOf(['ADMIN', 'MAINTAINER'] as const);
registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do beyond filing, commenting and voting.',
  valuesMap: {
    ADMIN: { description: 'Everything: the catalogue, roles, and triage of every item.' },
    MAINTAINER: { description: 'Triages items of one upstream (all its components), or of one component subtree.' },
  },
});

export const AccessTokenKind = enumOf(['SESSION', 'PERSONAL'] as const);
registerEnumType(AccessTokenKind, {
  name: 'AccessTokenKind',
  description: 'Where a token came from.',
  valuesMap: { SESSION: { description: 'From register or login; expires after 30 days.' }, PERSONAL: { description: 'Made by its owner for a tool or script.' } },
});

@ObjectType({ implements: () => [Node], description: 'Someone with an account.' })
export class User implements Node {
  // Encoded when asked for: a page's reporters are mostly asked for their username alone.
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  get id(): string {
    return toGlobalId('User', this.userId);
  }

  /** The account's own id; not a GraphQL field. */
  userId!: number;

  @Field({ description: 'Unique, whatever the case.' })
  username!: string;

  @Field({ description: 'When they registered.' })
  createdAt!: Date;

  static from(record: UserRecord): User {
    const user = new User();
    user.userId = record.id;
    user.username = record.username;
    user.createdAt = record.createdAt;
    return user;
  }
}

@ObjectType({ description: 'A role held: ADMIN, or MAINTAINER of an upstream or of a component subtree.' })
export class RoleGrant {
  @Field(() => Role, { description: 'The role.' })
  role!: string;

  upstreamId!: number | null;
  componentId!: number | null;

  static from(record: GrantRecord): RoleGrant {
    return Object.assign(new RoleGrant(), { role: record.role, upstreamId: record.upstreamId, componentId: record.componentId });
  }
}

@ObjectType({ implements: () => [Node], description: 'A bearer token of yours (its secret is shown only when made).' })
export class AccessToken implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque: pass it to revokeAccessToken.' })
  id!: string;

  @Field(() => AccessTokenKind, { description: 'SESSION or PERSONAL.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'Its name.' })
  name!: string | null;

  @Field({ description: 'When it was made.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last used (to the minute).' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stops working; null: never.' })
  expiresAt!: Date | null;

  static from(record: AccessTokenRecord): AccessToken {
    return Object.assign(new AccessToken(), { ...record, id: toGlobalId('AccessToken', record.id) });
  }
}

@ObjectType({ description: 'The signed-in user, with their roles.' })
export class Viewer {
  @Field(() => User, { description: 'Who you are.' })
  user!: User;

  @Field(() => [RoleGrant], { description: 'The roles you hold.' })
  roles!: RoleGrant[];

  userId!: number;
}
