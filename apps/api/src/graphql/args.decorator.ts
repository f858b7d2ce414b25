// eslint-disable-next-line no-restricted-imports -- the one place that wraps it
import { Args as NestArgs } from '@nestjs/graphql';
import { createValidationPipe } from './validation.pipe';

/** The one validation pipe of every `@Args` (the lean resolvers recognise it: see lean-resolvers.ts). */
export const argumentsValidation = createValidationPipe();

/**
 * `@Args` with the one validation pipe attached to the argument itself, used instead of
 * `@nestjs/graphql`'s everywhere. Binding it here rather than globally keeps pipes off the
 * parent and context parameters of field resolvers, which Nest would otherwise run for every
 * field of every object of a page.
 */
export const Args: typeof NestArgs = ((...params: unknown[]) => (NestArgs as (...p: unknown[]) => ParameterDecorator)(...params, argumentsValidation)) as typeof NestArgs;
