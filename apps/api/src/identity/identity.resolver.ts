import { Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { CatalogueReader } from '@headwaters/catalogue';
import { fromGlobalId } from '@headwaters/graphql-kit';
import { AccountService, RoleService } from '@headwaters/identity';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component, Upstream } from '../catalogue/catalogue.types';
import {
  ChangePasswordInput, CreateAccessTokenInput, CreateAccessTokenPayload, DonePayload, GrantRoleInput, GrantRolePayload, LoginInput, LoginPayload,
  RegisterInput, RegisterPayload, RevokeAccessTokenInput, RevokeAccessTokenPayload, RevokeSessionsPayload,
} from './identity.inputs';
import { AccessToken, RoleGrant, User, Viewer } from './identity.types';

/** Accounts, sessions, tokens and roles. */
@Resolver(() => Viewer)
export class IdentityResolver {
  constructor(
    private readonly accounts: AccountService,
    private readonly roles: RoleService,
  ) {}

  @Query(() => Viewer, { nullable: true, description: 'The signed-in user and their roles; null when anonymous.' })
  async viewer(@Context() context: RequestContext): Promise<Viewer | null> {
    const actor = await context.actor();
    if (!actor) return null;
    const [user] = await this.accounts.usersByIds([actor.userId]);
    const [grants] = await this.roles.grantsOfUsers([actor.userId]);
    return Object.assign(new Viewer(), { user: User.from(user!), roles: grants.map(RoleGrant.from), userId: actor.userId });
  }

  @ResolveField(() => [AccessToken], { description: 'Your live tokens, newest first (never their secrets).' })
  async accessTokens(@Parent() _viewer: Viewer, @Context() context: RequestContext): Promise<AccessToken[]> {
    return (await this.accounts.listTokens(await context.actor())).map(AccessToken.from);
  }

  @Mutation(() => RegisterPayload, { description: 'Creates an account and signs it in.' })
  async register(@Args('input') input: RegisterInput): Promise<RegisterPayload> {
    const issued = await this.accounts.register(input.username, input.email, input.password);
    return { user: User.from(issued.user), token: issued.token };
  }

  @Mutation(() => LoginPayload, { description: 'Signs in. After 10 failures in 10 minutes (per username and per address) it pauses: RATE_LIMITED.' })
  async login(@Args('input') input: LoginInput, @Context() context: RequestContext): Promise<LoginPayload> {
    const issued = await this.accounts.login(input.username, input.password, context.address);
    return { user: User.from(issued.user), token: issued.token };
  }

  @Mutation(() => DonePayload, { description: 'Revokes the token this request was sent with.' })
  async logout(@Context() context: RequestContext): Promise<DonePayload> {
    await this.accounts.logout(await context.requireActor());
    return { ok: true };
  }

  @Mutation(() => RevokeSessionsPayload, { description: 'Ends every session of yours, this one included (log out everywhere); personal tokens stay.' })
  async revokeSessions(@Context() context: RequestContext): Promise<RevokeSessionsPayload> {
    return { revoked: await this.accounts.revokeSessions(await context.actor()) };
  }

  @Mutation(() => DonePayload, { description: 'Changes your password; your other sessions end.' })
  async changePassword(@Args('input') input: ChangePasswordInput, @Context() context: RequestContext): Promise<DonePayload> {
    await this.accounts.changePassword(await context.actor(), input.currentPassword, input.newPassword);
    return { ok: true };
  }

  @Mutation(() => CreateAccessTokenPayload, { description: 'Makes a personal access token for a tool or script; its secret is shown once.' })
  async createAccessToken(@Args('input') input: CreateAccessTokenInput, @Context() context: RequestContext): Promise<CreateAccessTokenPayload> {
    const issued = await this.accounts.createPersonalToken(await context.actor(), input.name, input.expiresInDays ?? null);
    return { token: issued.token, accessToken: AccessToken.from(issued.accessToken) };
  }

  @Mutation(() => RevokeAccessTokenPayload, { description: 'Revokes one of your tokens.' })
  async revokeAccessToken(@Args('input') input: RevokeAccessTokenInput, @Context() context: RequestContext): Promise<RevokeAccessTokenPayload> {
    const actor = await context.actor();
    const id = fromGlobalId(input.id, ['AccessToken'], 'id').id;
    return { accessToken: AccessToken.from(await this.accounts.revokeToken(actor, id)) };
  }

  @Mutation(() => GrantRolePayload, { description: 'Grants a role. Admins only.' })
  async grantRole(@Args('input') input: GrantRoleInput, @Context() context: RequestContext): Promise<GrantRolePayload> {
    const result = await this.roles.grant(await context.actor(), input);
    return { user: User.from(result.user), grants: result.grants.map(RoleGrant.from) };
  }

  @Mutation(() => GrantRolePayload, { description: 'Revokes a role (the same arguments as grantRole). The last admin keeps theirs. Admins only.' })
  async revokeRole(@Args('input') input: GrantRoleInput, @Context() context: RequestContext): Promise<GrantRolePayload> {
    const result = await this.roles.revoke(await context.actor(), input);
    return { user: User.from(result.user), grants: result.grants.map(RoleGrant.from) };
  }
}

@Resolver(() => RoleGrant)
export class RoleGrantFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Upstream, { nullable: true, description: 'The upstream a MAINTAINER looks after.' })
  async upstream(@Parent() grant: RoleGrant, @Context() context: RequestContext): Promise<Upstream | null> {
    const found = grant.upstreamId === null ? undefined : (await catalogueOf(context, this.reader)).upstreams.get(grant.upstreamId);
    return found ? Upstream.from(found) : null;
  }

  @ResolveField(() => Component, { nullable: true, description: 'The component subtree a MAINTAINER looks after.' })
  async component(@Parent() grant: RoleGrant, @Context() context: RequestContext): Promise<Component | null> {
    const found = grant.componentId === null ? undefined : (await catalogueOf(context, this.reader)).components.get(grant.componentId);
    return found ? Component.from(found) : null;
  }
}
