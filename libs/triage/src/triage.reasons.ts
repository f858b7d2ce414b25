import { reasonSet } from '@headwaters/core';

/** The reason codes of the triage library: triage, duplicates. */
export const triageReasons = reasonSet({
  NOTHING_TO_DO: 'invalid',
  SELF_DUPLICATE: 'invalid',
  DUPLICATE_CYCLE: 'conflict',
  ALREADY_DUPLICATE: 'conflict',
  /** A duplicate marked across upstreams: its original's maintainers may undo it, nobody else of theirs may make it. */
  NOT_DUPLICATE: 'conflict',
  BUSY: 'conflict',
  /** fixedInSlug is for bugs, plannedForSlug for features. */
  RELEASE_NOT_FOR_KIND: 'invalid',
});

export const triageError = triageReasons.error;
