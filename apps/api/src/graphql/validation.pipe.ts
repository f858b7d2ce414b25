import { ValidationPipe } from '@nestjs/common';
import { InputValidationError, fieldProblems } from '@headwaters/graphql-kit';

/**
 * The one pipe that validates every input and args class (class-validator): unknown fields are
 * refused, and a failure is BAD_USER_INPUT whose message names each field at fault.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new InputValidationError(fieldProblems(errors)),
  });
}
