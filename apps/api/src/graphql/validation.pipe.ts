import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { InputValidationError, fieldProblems } from '@headwaters/graphql-kit';

/** Nest's numeric parameter type of GraphQL arguments (root 0, context 1, info 2, args 3). */
const GRAPHQL_ARGS = 3;
const HTTP_INPUTS: readonly unknown[] = ['body', 'query', 'param'];

/**
 * The one pipe that validates every input and args class (class-validator): unknown fields are
 * refused, and a failure is BAD_USER_INPUT whose message names each field at fault. It looks at
 * arguments only: Nest also hands it each field resolver's parent object, and transforming those
 * (25 items x every field of a page) cost more than the rest of the request.
 */
class ArgumentsValidationPipe extends ValidationPipe {
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const type: unknown = metadata.type;
    return (type === GRAPHQL_ARGS || HTTP_INPUTS.includes(type)) && super.toValidate(metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ArgumentsValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new InputValidationError(fieldProblems(errors)),
  });
}
