import { Module } from '@nestjs/common';
import { AccountService } from './account.service';
import { AccountRecoveryService } from './account-recovery.service';
import { AccountStatusService } from './account-status.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { RoleService } from './role.service';
import { TokenAuthenticator } from './token-authenticator';

/** Accounts, tokens, roles: who is asking, and what they may do. */
@Module({
  providers: [TokenAuthenticator, AccountService, AccountRecoveryService, RoleService, AdminBootstrapService, AccountStatusService],
  exports: [TokenAuthenticator, AccountService, AccountRecoveryService, RoleService, AdminBootstrapService, AccountStatusService],
})
export class IdentityModule {}
