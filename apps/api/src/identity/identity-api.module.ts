import { Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AccountStatusResolver } from './account-status.resolver';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { CatalogueModule } from '@headwaters/catalogue';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { AccountService, AdminBootstrapService, IdentityModule, TokenAuthenticator } from '@headwaters/identity';
import { AuthenticatorHolder } from '../graphql/authenticator-holder';
import { LOGGER } from '../logging/logger.token';
import { IdentityResolver, RoleGrantFieldsResolver } from './identity.resolver';
import { AccessToken, User } from './identity.types';
import type { RequestContext } from '../graphql/request-context';

/** The identity feature's API: token authentication for every request, accounts, roles, the first admin. */
@Module({
  imports: [IdentityModule, CatalogueModule],
  providers: [IdentityResolver, RoleGrantFieldsResolver, AccountStatusResolver],
  exports: [IdentityModule],
})
export class IdentityApiModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly holder: AuthenticatorHolder,
    private readonly authenticator: TokenAuthenticator,
    private readonly registry: NodeRegistry,
    private readonly accounts: AccountService,
    private readonly bootstrap: AdminBootstrapService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.holder.use(this.authenticator);
    this.registry.register('User', async (ids) => (await this.accounts.usersByIds(ids)).map((u) => (u ? User.from(u) : null)));
    // A token is its owner's business: anyone else (anonymous included) gets null, as for no token.
    this.registry.register('AccessToken', async (ids, context) => (await this.accounts.tokensByIds(await (context as RequestContext).actor(), ids)).map((t) => (t ? AccessToken.from(t) : null)));
  }

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.bootstrap.ensureAdmin();
    if (result.generatedPassword) {
      this.logger.warn({ username: result.createdUsername }, 'created the first admin account; its password is printed once on stderr');
      // Straight to the console, never through the log: a password must not land in log storage.
      process.stderr.write(
        `\n  Headwaters created the admin account "${result.createdUsername}" with the password:\n\n      ${result.generatedPassword}\n\n  It is shown only this once: sign in (mutation login) and change it (mutation changePassword).\n\n`,
      );
    }
  }
}
