/** The kinds of failure a domain rule can report; the API maps each to one `extensions.code`. */
export type DomainErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'invalid' | 'unauthenticated' | 'rate_limited';

/**
 * The one error type that domain libraries throw. `code` is stable and machine-readable
 * (e.g. `COMPONENT_NOT_FOUND`); `field` names the input field at fault, when there is one.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(code: string, message: string, field?: string): DomainError {
    return new DomainError('not_found', code, message, field);
  }

  static conflict(code: string, message: string, field?: string): DomainError {
    return new DomainError('conflict', code, message, field);
  }

  static invalid(code: string, message: string, field?: string): DomainError {
    return new DomainError('invalid', code, message, field);
  }

  static forbidden(code: string, message: string): DomainError {
    return new DomainError('forbidden', code, message);
  }

  static unauthenticated(code: string, message: string): DomainError {
    return new DomainError('unauthenticated', code, message);
  }
}
