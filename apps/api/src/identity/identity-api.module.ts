import { Module, type OnModuleInit } from '@nestjs/common';
import { IdentityModule, TokenAuthenticator } from '@headwaters/identity';
import { AuthenticatorHolder } from '../graphql/authenticator-holder';

/** The identity feature's API: installs token authentication for every request. */
@Module({ imports: [IdentityModule] })
export class IdentityApiModule implements OnModuleInit {
  constructor(
    private readonly holder: AuthenticatorHolder,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  onModuleInit(): void {
    this.holder.use(this.authenticator);
  }
}
