import type { DomainErrorKind } from '@headwaters/core';

/** The `extensions.code` of each kind of domain error: the one place that decides it. */
export const ERROR_CODES: Record<DomainErrorKind, string> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  forbidden: 'FORBIDDEN',
  invalid: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  rate_limited: 'RATE_LIMITED',
};
