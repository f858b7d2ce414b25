/** The kinds of failure a domain rule can report; the API maps each to one `extensions.code`. */
export type DomainErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'invalid' | 'unauthenticated' | 'rate_limited';

/**
 * The one error type that domain libraries throw. `code` is stable and machine-readable
 * (e.g. `COMPONENT_NOT_FOUND`); `field` names the input field at fault, when there is one.
 */
export class DomainError extends Error {
  /**
   * Set on a conflict that only says "the data moved under you" (a lost race seen by the use case
   * itself): the transaction helper runs the use case again before giving it to the caller.
   */
  retryable = false;

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

  /** A lost race the use case detected itself: CONFLICT if it persists, retried first (see `retryable`). */
  static busy(code: string, message: string, field?: string): DomainError {
    const error = new DomainError('conflict', code, message, field);
    error.retryable = true;
    return error;
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
