import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { dropIdleRequestHooks } from './idle-request-hooks';

/**
 * Nest's Mercurius driver, without two per-operation costs of its own that the application does
 * not use:
 * - Nest wraps a context function in an async one that adds `req` to the context it makes: one
 *   more promise and await before every operation. The application's function is handed to
 *   Mercurius as it is: its RequestContext has `req` already (what Nest's GqlExecutionContext
 *   users read), so the wrapper would add nothing.
 * - Nest's request hooks, while none is set, run no hook of Mercurius (see dropIdleRequestHooks).
 */
export class LeanMercuriusDriver extends MercuriusDriver {
  override async mergeDefaultOptions(options: MercuriusDriverConfig): Promise<MercuriusDriverConfig> {
    const given = options.context;
    const merged = await super.mergeDefaultOptions(options);
    if (typeof given === 'function') merged.context = given;
    return merged;
  }

  override async start(options: MercuriusDriverConfig): Promise<void> {
    await super.start(options);
    if (this.resolverDecoratorHost) dropIdleRequestHooks((this.instance as unknown as { graphql: object }).graphql, this.resolverDecoratorHost);
  }
}
