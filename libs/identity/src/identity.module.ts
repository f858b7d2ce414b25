import { Module } from '@nestjs/common';
import { TokenAuthenticator } from './token-authenticator';

/** Accounts, tokens, roles: who is asking, and what they may do. */
@Module({
  providers: [TokenAuthenticator],
  exports: [TokenAuthenticator],
})
export class IdentityModule {}
