import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';

/**
 * Nest's Mercurius driver, with the application's context function handed to Mercurius as it is.
 * Nest wraps a context function in an async one that adds `req` to the context it makes: one more
 * promise and await before every operation. The application's RequestContext has `req` already
 * (what Nest's GqlExecutionContext users read), so the wrapper would add nothing.
 */
export class ContextAsGivenMercuriusDriver extends MercuriusDriver {
  override async mergeDefaultOptions(options: MercuriusDriverConfig): Promise<MercuriusDriverConfig> {
    const given = options.context;
    const merged = await super.mergeDefaultOptions(options);
    if (typeof given === 'function') merged.context = given;
    return merged;
  }
}
