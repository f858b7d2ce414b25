import { DomainError, type DomainErrorKind } from './domain-error';

/** A library's reason codes, each with the one kind of failure it is. */
export type ReasonKinds<R extends string> = Readonly<Record<R, DomainErrorKind>>;

/** A library's enumerated reason codes and how to throw them. */
export interface ReasonSet<R extends string> {
  /** Every code of the library and its kind: the mapping is total, so a code cannot lack one. */
  readonly kinds: ReasonKinds<R>;
  /** The error of one reason: its kind comes from {@link kinds}, so one code is always one kind. */
  error(reason: R, message: string, field?: string): DomainError;
}

/**
 * Declares a library's reason codes (as Twenty keeps one enum of codes per module, mapped with
 * an exhaustive switch): the codes are a closed set, each of one kind, and thrown only through
 * `error`, so the same situation gets the same code and the same `extensions.code` everywhere.
 */
export function reasonSet<R extends string>(kinds: ReasonKinds<R>): ReasonSet<R> {
  return { kinds, error: (reason, message, field) => new DomainError(kinds[reason], reason, message, field) };
}

/** Situations several libraries meet: a slug of the catalogue that names nothing. One code each, built here only. */
export const sharedReasons = reasonSet({
  UPSTREAM_NOT_FOUND: 'not_found',
  COMPONENT_NOT_FOUND: 'not_found',
  RELEASE_NOT_FOUND: 'not_found',
});

const NOT_FOUND_CODES = { upstream: 'UPSTREAM_NOT_FOUND', component: 'COMPONENT_NOT_FOUND', release: 'RELEASE_NOT_FOUND' } as const;

/** "componentSlug: no component has the slug "x"": NOT_FOUND naming `field`. */
export function slugNotFound(what: keyof typeof NOT_FOUND_CODES, slug: string, field: string): DomainError {
  return sharedReasons.error(NOT_FOUND_CODES[what], `${field}: no ${what} has the slug "${slug}"`, field);
}
