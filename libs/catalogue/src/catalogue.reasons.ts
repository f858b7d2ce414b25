import { reasonSet } from '@headwaters/core';

/** The reason codes of catalogue edits (a slug naming nothing is core's `slugNotFound`). */
export const catalogueReasons = reasonSet({
  INVALID_SLUG: 'invalid',
  OWNER_REQUIRED: 'invalid',
  CYCLE: 'invalid',
  UPSTREAM_RETIRED: 'invalid',
  COMPONENT_RETIRED: 'invalid',
  MAILING_LIST_REQUIRED: 'invalid',
  WEBHOOK_REQUIRED: 'invalid',
  WEBHOOK_SECRET_REQUIRED: 'invalid',
  WEBHOOK_SECRET_TOO_SHORT: 'invalid',
  DISTRIBUTION: 'conflict',
  SLUG_TAKEN: 'conflict',
});

export const catalogueError = catalogueReasons.error;
