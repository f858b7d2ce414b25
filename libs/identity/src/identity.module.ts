import { Module } from '@nestjs/common';
import { AccountService } from './account.service';
import { AccountAdminService } from './account-admin.service';
import { AccountRecoveryService } from './account-recovery.service';
import { AccountStatusService } from './account-status.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { RoleService } from './role.service';
import { TokenAuthenticator } from './token-authenticator';

const SERVICES = [TokenAuthenticator, AccountService, AccountAdminService, AccountRecoveryService, AccountStatusService, RoleService, AdminBootstrapService];

/** Accounts, tokens, roles: who is asking, and what they may do. */
@Module({ providers: SERVICES, exports: SERVICES })
export class IdentityModule {}
