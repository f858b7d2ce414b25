import { Injectable } from '@nestjs/common';
import type { Actor } from '@headwaters/core';
import { NoAuthenticator, type Authenticator } from './request-context';

/**
 * The authenticator requests use. The identity feature installs the real one at start-up;
 * until then every token is unknown.
 */
@Injectable()
export class AuthenticatorHolder implements Authenticator {
  private current: Authenticator = new NoAuthenticator();

  use(authenticator: Authenticator): void {
    this.current = authenticator;
  }

  authenticate(token: string): Promise<Actor | null> {
    return this.current.authenticate(token);
  }
}
